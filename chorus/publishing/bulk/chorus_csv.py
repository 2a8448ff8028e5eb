"""Chorus' own CSV: a header row naming the columns, then a post per row.

Columns (any order; all optional except that a post needs text or media; unknown columns
are ignored with a warning):
  scheduled_at     local date and time, YYYY-MM-DD HH:MM (blank: imported as a draft)
  time_zone        IANA zone of scheduled_at (blank: the zone chosen at upload)
  accounts         ids or network:handle, "|"-separated (blank: the accounts chosen at
                   upload)
  text, link, first_comment
  thread           the replies after `text`, separated by a line holding only ---
  media_urls       http(s) URLs to fetch, or sha256:<hash> of a file in the media library,
                   "|"-separated
  media_alt_texts  one per media file, separated by a line holding only ---
  media_focus      one focus point "x, y" (each -1 to 1) per media file, "|"-separated;
                   empty: the centre
  tags             "|"-separated
  campaign         a campaign's name; created if the workspace has none of that name
  evergreen        true / false
  recurrence       an RFC 5545 RRULE, read in the post's zone
  network_<field>_<network>  what one network gets instead, for field in text, link,
                   first_comment, thread, options (a JSON object), media_urls,
                   media_alt_texts, media_focus; e.g. network_text_x
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.utils.translation import gettext as _

from chorus.publishing.bulk import cells
from chorus.publishing.bulk.dates import DateProblem, parse_iso
from chorus.publishing.bulk.decoding import Record, read_records
from chorus.publishing.bulk.hootsuite import too_many_rows
from chorus.publishing.bulk.issues import WARNING, Issue, column_letter
from chorus.publishing.bulk.rows import (
    MAX_ROWS,
    NETWORKS,
    VARIANT_FIELDS,
    Format,
    MediaRef,
    Parsed,
    Row,
    Upload,
    VariantRow,
)

BASE_COLUMNS = (
    "scheduled_at",
    "time_zone",
    "accounts",
    "text",
    "link",
    "first_comment",
    "thread",
    "media_urls",
    "media_alt_texts",
    "media_focus",
    "tags",
    "campaign",
    "evergreen",
    "recurrence",
)
Report = Callable[[str, str, str], None]
_NETWORK_COLUMN = re.compile(rf"^network_({'|'.join(VARIANT_FIELDS)})_([a-z0-9]+)$")


def header_name(cell: str) -> str:
    return re.sub(r"[\s-]+", "_", cell.strip().lower())


def is_known(name: str) -> bool:
    match = _NETWORK_COLUMN.match(name)
    return name in BASE_COLUMNS or bool(match and match.group(2) in NETWORKS)


# Columns only a Chorus file has ("link" alone could be a Hootsuite header).
DISTINCTIVE = frozenset(
    {"scheduled_at", "time_zone", "accounts", "text", "first_comment", "media_urls"}
)


def looks_like_header(record: Record) -> bool:
    names = [header_name(c) for c in record.cells]
    if any(n.startswith("date") or n == "message" for n in names):
        # A spreadsheet's own header over Hootsuite columns ("Date, Text, Link").
        return False
    return any(n in DISTINCTIVE or (n.startswith("network_") and is_known(n)) for n in names)


def parse(text: str, upload: Upload) -> Parsed:
    records, stop = read_records(text)
    positions: dict[str, int] = {}
    parsed = Parsed(
        Format.CSV,
        [],
        [],
        lambda n: (n, _letter(positions, n)),
        upload.time_zone,
        upload.account_ids,
    )
    if not records:
        parsed.issues.append(stop or Issue(None, "file", "empty_file", _("The file is empty.")))
        return parsed
    header, *data = records
    for index, cell in enumerate(header.cells):
        name = header_name(cell)
        if not name:
            continue
        if name in positions:
            parsed.issues.append(
                Issue(
                    header.number,
                    name,
                    "duplicate_column",
                    _("The column “%(name)s” appears twice in the header.") % {"name": name},
                    column=column_letter(index),
                )
            )
        elif name.startswith("network_") and not is_known(name):
            parsed.issues.append(
                Issue(
                    header.number,
                    name,
                    "unknown_network_column",
                    _(
                        "“%(name)s” is not a network column. Write network_<field>_<network>, with "
                        "field one of %(fields)s and network one of %(networks)s."
                    )
                    % {
                        "name": name[:60],
                        "fields": ", ".join(VARIANT_FIELDS),
                        "networks": ", ".join(sorted(NETWORKS)),
                    },
                    column=column_letter(index),
                )
            )
        elif not is_known(name):
            parsed.issues.append(
                Issue(
                    header.number,
                    cell.strip()[:60],
                    "unknown_column",
                    _("The column “%(name)s” is not one Chorus reads; it is ignored.")
                    % {"name": cell.strip()[:60]},
                    column=column_letter(index),
                    severity=WARNING,
                )
            )
        else:
            positions[name] = index
    width = len(header.cells)
    parsed.rows = [_row(record, positions, width) for record in data[:MAX_ROWS]]
    if len(data) > MAX_ROWS:
        parsed.issues.append(too_many_rows())
    if stop is not None:
        parsed.issues.append(stop)
    return parsed


def _letter(positions: dict[str, int], name: str) -> str:
    return column_letter(positions[name]) if name in positions else ""


def _row(record: Record, positions: dict[str, int], width: int) -> Row:
    values = {
        name: cells.normal_newlines(record.cells[i]).strip()
        for name, i in positions.items()
        if i < len(record.cells)
    }
    row = Row(record.number)

    def problem(name: str, code: str, message: str) -> None:
        row.issues.append(
            Issue(record.number, name, code, message, column=_letter(positions, name))
        )

    extra = [i for i, c in enumerate(record.cells[width:], start=width) if c.strip()]
    if extra:
        row.issues.append(
            Issue(
                record.number,
                "",
                "extra_cells",
                _(
                    "This row has a value in column %(column)s, beyond the %(count)s columns the "
                    'header names. Put commas inside quotes ("a, b").'
                )
                % {"column": column_letter(extra[0]), "count": width},
                column=column_letter(extra[0]),
            )
        )
    row.when = values.get("scheduled_at", "")
    if row.when:
        try:
            row.local, row.offset = parse_iso(row.when)
        except DateProblem as exc:
            problem("scheduled_at", exc.code, exc.message)
    row.time_zone = values.get("time_zone", "")
    row.accounts = cells.split_list(values.get("accounts", ""))
    row.text = values.get("text", "")
    row.link = values.get("link", "")
    row.first_comment = values.get("first_comment", "")
    row.thread = cells.split_parts(values.get("thread", ""))
    row.tags = cells.split_list(values.get("tags", ""))
    row.campaign = values.get("campaign", "")
    row.recurrence = values.get("recurrence", "")
    try:
        row.evergreen = cells.flag(values.get("evergreen", ""))
    except cells.CellProblem as exc:
        problem("evergreen", exc.code, exc.message)
    row.media = _media(values, "", problem)
    for name, value in values.items():
        match = _NETWORK_COLUMN.match(name)
        if not match or not value:
            continue
        field, network = match.groups()
        variant = row.variants.setdefault(network, VariantRow(network))
        if field in ("text", "link", "first_comment"):
            setattr(variant, field, value)
        elif field == "thread":
            variant.thread = cells.split_parts(value)
        elif field == "options":
            try:
                variant.options = cells.options(value)
            except cells.CellProblem as exc:
                problem(name, exc.code, exc.message)
    for network in NETWORKS:
        names = [f"network_media_{n}_{network}" for n in ("urls", "alt_texts", "focus")]
        if any(values.get(name) for name in names):
            variant = row.variants.setdefault(network, VariantRow(network))
            variant.media = _media(values, network, problem)
    return row


def _media(values: dict[str, str], network: str, problem: Report) -> list[MediaRef]:
    """The media of the base post (`network` blank) or of one network's variant."""

    def column(name: str) -> str:
        return f"network_media_{name}_{network}" if network else f"media_{name}"

    urls, alts, focus = column("urls"), column("alt_texts"), column("focus")
    sources = cells.split_list(values.get(urls, ""))
    texts = cells.split_parts(values.get(alts, ""), keep_empty=True)
    if len(texts) > len(sources):
        problem(
            alts,
            "too_many_alt_texts",
            _("There are %(texts)s alt texts for %(files)s media files.")
            % {"texts": len(texts), "files": len(sources)},
        )
    try:
        points = cells.focus_points(values.get(focus, ""))
    except cells.CellProblem as exc:
        problem(focus, exc.code, exc.message)
        points = []
    if len(points) > len(sources):
        problem(
            focus,
            "too_many_focus_points",
            _("There are %(points)s focus points for %(files)s media files.")
            % {"points": len(points), "files": len(sources)},
        )
    return [
        MediaRef(s, texts[i] if i < len(texts) else "", points[i] if i < len(points) else None)
        for i, s in enumerate(sources)
    ]
