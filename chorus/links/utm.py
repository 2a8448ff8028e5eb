"""UTM parameters: rendering a preset's templates and appending them to a URL.

Everything here is pure string work, so it can be checked exhaustively with property
tests and reused by the web pages, the API and the publishing engine alike.

Appending works on the URL as text rather than through ``urllib.parse.urlunsplit``:
taking a URL apart and putting it back together normalises it (an empty ``?`` or ``#``
disappears, ``+`` and ``%20`` get rewritten, an IDN host may be encoded), and the page on
the other end may care about any of those. Only the query grows; scheme, host, path, the
existing parameters (their order, repeats and percent-encoding) and the fragment are kept
byte for byte.

Parameters already on the URL win by default: whoever wrote ``utm_campaign=partner`` into
a link chose that attribution on purpose (often a partner's or an ad's own tracking), and
a second ``utm_campaign`` would make analytics tools pick one of the two arbitrarily.
Only the missing keys are added, so every click still carries a full set.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from string import Formatter
from urllib.parse import quote, unquote_plus

from django.utils.translation import gettext as _

PLACEHOLDERS = ("network", "account", "campaign", "post_id", "workspace")
UTM_KEYS = ("utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content")
MAX_TEMPLATE_LENGTH = 200

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
_PORT = re.compile(r"^[0-9]+(?:[/?#]|$)")
_WEB_SCHEMES = frozenset({"http", "https"})


class TemplateError(ValueError):
    """A template that cannot be rendered; the message says why, for the person."""


def _parts(template: str) -> list[tuple[str, str | None]]:
    """(literal text, placeholder name or None) pairs; TemplateError when malformed."""
    try:
        parsed = list(Formatter().parse(template))
    except ValueError as exc:
        raise TemplateError(
            _("A “{” or “}” is not closed. Write {{ or }} for a brace that is meant as text.")
        ) from exc
    parts: list[tuple[str, str | None]] = []
    for literal, name, spec, conversion in parsed:
        if name is None:
            parts.append((literal, None))
            continue
        if name not in PLACEHOLDERS:
            raise TemplateError(
                _("Unknown placeholder “{%(name)s}”. Use one of: %(known)s.")
                % {"name": name, "known": ", ".join(f"{{{p}}}" for p in PLACEHOLDERS)}
            )
        if spec or conversion:
            raise TemplateError(
                _("Write “{%(name)s}” as it is, without a format or conversion after it.")
                % {"name": name}
            )
        parts.append((literal, name))
    return parts


def check_template(template: str) -> None:
    """Raise TemplateError unless ``template`` renders with the known placeholders."""
    if len(template) > MAX_TEMPLATE_LENGTH:
        raise TemplateError(
            _("Keep this to %(max)d characters or fewer.") % {"max": MAX_TEMPLATE_LENGTH}
        )
    _parts(template)


def render_template(template: str, values: Mapping[str, str]) -> str:
    """The template with each ``{placeholder}`` replaced; a missing value renders empty.

    Only the names in PLACEHOLDERS are substituted, never attributes or indexes, so a
    template cannot reach into the objects behind the values.
    """
    out: list[str] = []
    for literal, name in _parts(template):
        out.append(literal)
        if name is not None:
            out.append(values.get(name, ""))
    return "".join(out).strip()


def is_web_url(url: str) -> bool:
    """True for http(s) URLs and for bare hosts (``example.com/x``, ``//cdn.example``);
    False for mailto:, tel:, javascript: and every other scheme, which must stay as written.
    """
    if not url or url.isspace():
        return False
    match = _SCHEME.match(url)
    if match is None:
        return True
    scheme = match[1]
    if scheme.lower() in _WEB_SCHEMES:
        return True
    # "example.com:8080/x" reads like scheme "example.com"; a real scheme has no dot.
    return "." in scheme and _PORT.match(url[match.end() :]) is not None


def _key(pair: str) -> str:
    return unquote_plus(pair.partition("=")[0])


def append_utm(url: str, params: Mapping[str, str], *, replace_existing: bool = False) -> str:
    """``url`` with the non-empty ``params`` (utm_source=...) added to its query.

    Values are plain text and are percent-encoded once here. Keys the URL already has are
    left alone unless ``replace_existing``, which drops the URL's own values for them.
    Links that are not web URLs come back unchanged.
    """
    wanted = {key: value for key, value in params.items() if value}
    if not wanted or not is_web_url(url):
        return url
    base, hash_mark, fragment = url.partition("#")
    head, _question_mark, query = base.partition("?")
    pairs = query.split("&") if query else []
    present = {_key(pair) for pair in pairs if pair}
    if replace_existing:
        pairs = [pair for pair in pairs if not pair or _key(pair) not in wanted]
    else:
        wanted = {key: value for key, value in wanted.items() if key not in present}
    if not wanted:
        return url
    added = [f"{quote(key, safe='')}={quote(value, safe='')}" for key, value in wanted.items()]
    if pairs and pairs[-1] == "":
        pairs.pop()  # a trailing "&" already separates what comes next
    new_query = "&".join([*pairs, *added])
    return f"{head}?{new_query}{hash_mark}{fragment}"


def utm_params(templates: Mapping[str, str], values: Mapping[str, str]) -> dict[str, str]:
    """Render each utm_* template of a preset with the placeholder ``values``."""
    return {key: render_template(templates.get(key, ""), values) for key in UTM_KEYS}
