"""Chorus' JSON: a list of post objects (or {"posts": [...]}), the fields of the Chorus CSV
with real lists and variants as objects (see schemas.PostJson). "Row" means the post's
position in the list, counting from 1."""

from __future__ import annotations

import json
from typing import Any

from django.utils.translation import gettext as _
from pydantic import ValidationError

from chorus.publishing.bulk.dates import DateProblem, parse_iso
from chorus.publishing.bulk.hootsuite import too_many_rows
from chorus.publishing.bulk.issues import Issue
from chorus.publishing.bulk.rows import (
    MAX_ROWS,
    Format,
    MediaRef,
    Parsed,
    Row,
    Upload,
    VariantRow,
)
from chorus.publishing.bulk.schemas import MediaJson, PostJson
from chorus.publishing.compose.inputs import focus_in_range

_PATHS = {"media_urls": "media", "media_alt_texts": "media", "media_focus": "media"}


def label(name: str) -> tuple[str, str]:
    if name.startswith("network_"):
        for field in (
            "first_comment",
            "media_alt_texts",
            "media_focus",
            "media_urls",
            "text",
            "link",
            "thread",
            "options",
        ):
            prefix = f"network_{field}_"
            if name.startswith(prefix):
                network = name[len(prefix) :]
                return f"variants[{network}].{_PATHS.get(field, field)}", ""
    return _PATHS.get(name, name), ""


def parse(text: str, upload: Upload) -> Parsed:
    parsed = Parsed(Format.JSON, [], [], label, upload.time_zone, upload.account_ids)
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        parsed.issues.append(
            Issue(
                None,
                "file",
                "invalid_json",
                _("The file is not valid JSON: %(problem)s at line %(line)s, column %(column)s.")
                % {"problem": exc.msg, "line": exc.lineno, "column": exc.colno},
            )
        )
        return parsed
    except RecursionError:
        parsed.issues.append(
            Issue(
                None,
                "file",
                "invalid_json",
                _("The file nests lists or objects too deeply to be read."),
            )
        )
        return parsed
    return rows_from(document, parsed)


def rows_from(document: Any, parsed: Parsed) -> Parsed:
    items = document.get("posts") if isinstance(document, dict) else document
    if not isinstance(items, list):
        parsed.issues.append(
            Issue(
                None,
                "file",
                "invalid_json",
                _("The file must hold a list of posts, or an object whose “posts” is that list."),
            )
        )
        return parsed
    if len(items) > MAX_ROWS:
        parsed.issues.append(too_many_rows())
    parsed.rows = [_row(number, item) for number, item in enumerate(items[:MAX_ROWS], start=1)]
    return parsed


def _row(number: int, item: Any) -> Row:
    row = Row(number)
    try:
        post = PostJson.model_validate(item)
    except ValidationError as exc:
        row.issues.extend(_issue(number, error) for error in exc.errors())
        row.complete = False
        return row
    row.when = post.scheduled_at.strip()
    if row.when:
        try:
            row.local, row.offset = parse_iso(row.when)
        except DateProblem as problem:
            row.issues.append(Issue(number, "scheduled_at", problem.code, problem.message))
    row.time_zone = post.time_zone.strip()
    row.accounts = [str(a).strip() for a in post.accounts if str(a).strip()]
    row.text, row.link = post.text.strip(), post.link.strip()
    row.first_comment = post.first_comment.strip()
    row.thread = [p.strip() for p in post.thread if p.strip()]
    row.media = _media(number, "media", post.media, row.issues)
    row.tags = [t.strip() for t in post.tags if t.strip()]
    row.campaign = post.campaign.strip()
    row.evergreen = post.evergreen
    row.recurrence = post.recurrence.strip()
    for index, v in enumerate(post.variants):
        network = v.network.strip().lower()
        if network in row.variants:
            row.issues.append(
                Issue(
                    number,
                    f"variants[{index}].network",
                    "duplicate_variant",
                    _("There are two variants for %(network)s.") % {"network": network},
                )
            )
            continue
        row.variants[network] = VariantRow(
            network,
            v.text.strip(),
            v.link.strip(),
            v.first_comment.strip(),
            [p.strip() for p in v.thread if p.strip()],
            dict(v.options),
            _media(number, f"variants[{index}].media", v.media, row.issues),
        )
    return row


def _media(number: int, path: str, items: list[MediaJson], issues: list[Issue]) -> list[MediaRef]:
    refs = []
    for index, m in enumerate(items):
        focus = (m.focus.x, m.focus.y) if m.focus else None
        if focus is not None and not focus_in_range(focus):
            issues.append(
                Issue(
                    number,
                    f"{path}[{index}].focus",
                    "invalid_focus",
                    _(
                        "A focus point's x and y are each from -1 to 1 (x from left to right, "
                        "y from bottom to top)."
                    ),
                )
            )
            focus = None
        refs.append(MediaRef(m.url.strip(), m.alt_text.strip(), focus))
    return refs


def _issue(number: int, error: Any) -> Issue:
    field = ""
    for part in error.get("loc", ()):
        field += f"[{part}]" if isinstance(part, int) else (f".{part}" if field else str(part))
    kind = error.get("type", "")
    if kind == "extra_forbidden":
        message = _("Unknown field; check its spelling.")
    elif kind == "missing":
        message = _("This field is required.")
    elif kind.startswith("string"):
        message = _("Write text here (a JSON string).")
    elif kind.startswith("list"):
        message = _("Write a list here.")
    elif kind.startswith("bool"):
        message = _("Write true or false here.")
    elif kind.startswith(("dict", "model")):
        message = _("Write an object here.")
    else:
        message = _("This value is not valid here.")
    return Issue(number, field or "", kind or "invalid", message)
