"""Finding URLs in post text as X and Mastodon do: they count every URL they link as 23.

The grammar is twitter-text's documented URL extraction, which both networks use (Mastodon
through the twitter-text Ruby gem with its own path rules), re-expressed here and checked
against twitter-text's conformance suite (``extract.yml`` and ``validate.yml``):

* a URL starts after a character that is not a letter, digit, ``@``, ``$`` or ``#``;
* the scheme ``http://`` or ``https://`` is optional for X and required by Mastodon;
* the host ends in a known top-level domain (``tld_data``), or in a punycode label;
* every host label must fit in 63 characters once punycode-encoded, and the whole URL in
  4,096 (``MAX_URL_LENGTH``);
* a URL without a scheme must be an ASCII host and may not follow ``-``, ``_``, ``.`` or
  ``/``;
* ``t.co`` links stop after their slug and query, and a slug longer than 40 is no link;
* path and query end before trailing punctuation, keeping balanced parentheses.

Mastodon's path rules (its ``twitter_regex.rb``) accept any non-space character in a path
except ``<>()?``. Its web composer and Mastodon.py, whose measured counts are the
conformance vectors, keep twitter-text's ASCII query characters; newer servers also accept
non-ASCII query characters, so this counter can count a few characters more than such a
server, never fewer.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum

import regex

from chorus.publishing.rules import tld_data
from chorus.publishing.rules.measure import utf16_length

MAX_URL_LENGTH = 4096
MAX_LABEL_LENGTH = 63


@dataclass(frozen=True)
class UrlEntity:
    """A URL found in text; ``start``/``end`` are code-point offsets."""

    start: int
    end: int
    url: str


class PathRules(Enum):
    TWITTER = "twitter"
    MASTODON = "mastodon"


_SPACES = "\t\n\x0b\x0c\r \x85\xa0\u1680\u180e\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_INVALID = "\ufffe\ufeff\uffff"
_DIRECTIONAL = "\u202a-\u202e\u061c\u200e\u200f\u2066-\u2069"
_PUNCTUATION = "!\"#$%&'()*+,\\-./:;<=>?@\\[\\\\\\]^_`{|}~"
_LATIN_ACCENTS = (
    "\xc0-\xd6\xd8-\xf6\xf8-\xff\u0100-\u024f\u0253\u0254\u0256\u0257\u0259\u025b\u0263"
    "\u0268\u026f\u0272\u0289\u028b\u02bb\u0300-\u036f\u1e00-\u1eff"
)
_CYRILLIC = "\u0400-\u04ff"

_DOMAIN_CHAR = f"[^{_PUNCTUATION}{_SPACES}\\x00-\\x1f\\x7f{_INVALID}{_DIRECTIONAL}]"
_SUBDOMAIN = f"(?:(?:{_DOMAIN_CHAR}(?:[_-]|{_DOMAIN_CHAR})*)?{_DOMAIN_CHAR}\\.)"
_DOMAIN_NAME = f"(?:(?:{_DOMAIN_CHAR}(?:-|{_DOMAIN_CHAR})*)?{_DOMAIN_CHAR}\\.)"


def _tlds(names: tuple[str, ...]) -> str:
    return "|".join(regex.escape(name) for name in names)


_GENERIC_TLD = f"(?:(?:{_tlds(tld_data.GENERIC)})(?=[^0-9a-z@+-]|$))"
_COUNTRY_TLD = f"(?:(?:{_tlds(tld_data.COUNTRY)})(?=[^0-9a-z@+-]|$))"
_PUNYCODE_TLD = "(?:xn--[-0-9a-z]+)"
_ANY_TLD = f"(?:{_GENERIC_TLD}|{_COUNTRY_TLD}|{_PUNYCODE_TLD})"
_DOMAIN = f"(?:{_SUBDOMAIN}*{_DOMAIN_NAME}{_ANY_TLD})"

_PRECEDING = f"(?:[^a-z0-9@\uff20$#\uff03{_INVALID}]|[{_DIRECTIONAL}]|^)"
_QUERY_CHAR = "[a-z0-9!?*'@();:&=+$/%#\\[\\]\\-_.,~|]"
_QUERY_END = "[a-z0-9\\-_&=#/]"


def _balanced_parens(general: str) -> str:
    # One level of nesting, as in /wiki/Primer_(film) or /S(dfd346)/.
    return f"\\((?:{general}+|(?:{general}*\\({general}+\\){general}*))\\)"


def _path(rules: PathRules) -> str:
    if rules is PathRules.TWITTER:
        general = f"[a-z{_CYRILLIC}0-9!*';:=+,.$/%#\\[\\]\\-\u2013_~@|&{_LATIN_ACCENTS}]"
        ending = f"[+\\-a-z{_CYRILLIC}0-9=_#/{_LATIN_ACCENTS}]"
        alternative = f"@{general}+/"
    else:
        general = "[^\\p{White_Space}<>()?]"
        ending = "[^\\p{White_Space}()?!*\"'\u300c\u300d<>;:=,.$%\\[\\]~&|@]"
        alternative = f"{general}+/"
    parens = _balanced_parens(general)
    segment = f"{general}*(?:{parens}{general}*)*(?:{ending}|{parens})"
    return f"(?:(?:{segment})|(?:{alternative}))"


def _url_pattern(rules: PathRules) -> regex.Pattern[str]:
    return regex.compile(
        f"(?P<before>{_PRECEDING})"
        "(?P<url>"
        "(?P<scheme>https?://)?"
        f"(?P<domain>{_DOMAIN})"
        "(?::[0-9]+)?"
        f"(?P<path>/{_path(rules)}*)?"
        f"(?:\\?{_QUERY_CHAR}*{_QUERY_END})?"
        ")",
        regex.IGNORECASE,
    )


_URL = {rules: _url_pattern(rules) for rules in PathRules}
_ASCII_DOMAIN = regex.compile(f"(?:[\\-a-z0-9{_LATIN_ACCENTS}]+\\.)+{_ANY_TLD}", regex.IGNORECASE)
_TCO = regex.compile(
    f"https?://t\\.co/(?P<slug>[a-z0-9]+)(?:\\?{_QUERY_CHAR}*{_QUERY_END})?", regex.IGNORECASE
)
MAX_TCO_SLUG_LENGTH = 40
_NO_SCHEME_AFTER = ("-", "_", ".", "/")


def _ascii_label_length(label: str) -> int:
    if label.isascii():
        return len(label)
    try:
        return len("xn--") + len(label.encode("punycode"))
    except UnicodeError:
        return 0


def _is_valid_url(url: str, scheme: str, domain: str) -> bool:
    if domain[:4].lower() == "xn--" and not _ASCII_DOMAIN.search(domain):
        return False  # a punycode host is ASCII by definition
    lengths = [_ascii_label_length(label) for label in domain.split(".")]
    if any(length < 1 or length > MAX_LABEL_LENGTH for length in lengths):
        return False
    encoded_growth = sum(lengths) + len(lengths) - 1 - utf16_length(domain)
    return len(scheme or "https://") + utf16_length(url) + encoded_growth <= MAX_URL_LENGTH


def _schemeless(match: regex.Match[str]) -> list[UrlEntity]:
    """ASCII hosts inside a match that had no scheme (``example.com``, ``a.b.co/x``)."""
    domain, start, end = match["domain"], match.start("domain"), match.end("url")
    found: list[UrlEntity] = []
    last: regex.Match[str] | None = None
    for ascii_match in _ASCII_DOMAIN.finditer(domain):
        last = ascii_match
        found.append(UrlEntity(start + ascii_match.start(), start + ascii_match.end(), last[0]))
    if last is not None and match["path"]:
        # The path belongs to the last host found: "example.com/a" is one URL.
        last_start = start + last.start()
        found[-1] = UrlEntity(last_start, end, match.string[last_start:end])
    return found


_RUN = regex.compile(r"\P{White_Space}+")


def _matches(pattern: regex.Pattern[str], text: str, needed: str) -> Iterator[regex.Match[str]]:
    """``pattern.finditer(text)``, searching only the runs of non-space that hold ``needed``.

    No URL contains white space, and every URL has a dot (and a scheme a colon), so a run
    without one cannot hold a match. Searching each run on its own, from the character
    before it, finds the same matches: a match never spans white space, white space ends
    every path and query as the end of the text would, and what precedes a run is white
    space or the start. It spares the domain pattern from crawling long runs of words
    written without spaces (Lao, Thai, Chinese), which costs quadratic time.
    """
    for run in _RUN.finditer(text):
        if needed in run[0]:
            yield from pattern.finditer(text, max(run.start() - 1, 0), run.end())


def extract_urls(
    text: str, *, without_scheme: bool = True, rules: PathRules = PathRules.TWITTER
) -> list[UrlEntity]:
    """Every URL in ``text`` in order, as twitter-text's ``extractUrlsWithIndices`` finds them.

    ``without_scheme`` also finds bare hosts such as ``example.com`` (X does, Mastodon's
    server does not).
    """
    needed = "." if without_scheme else ":"
    found: list[UrlEntity] = []
    for match in _matches(_URL[rules], text, needed):
        url, scheme = match["url"], match["scheme"] or ""
        if not _is_valid_url(url, scheme, match["domain"]):
            continue
        if not scheme:
            if without_scheme and not match["before"].endswith(_NO_SCHEME_AFTER):
                found.extend(_schemeless(match))
            continue
        start, end = match.span("url")
        tco = _TCO.match(url)
        if tco is not None:
            if len(tco["slug"]) > MAX_TCO_SLUG_LENGTH:
                continue
            end = start + len(tco[0])
        found.append(UrlEntity(start, end, text[start:end]))
    return found
