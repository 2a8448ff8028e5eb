"""Hootsuite's bulk-composer CSV: one message per row, three columns and no header.

Column A is the date and time (in the format chosen at upload, in the zone chosen at
upload), B the message, C an optional link. Hootsuite applies a file to the profiles
picked in its dialog; here, to the accounts picked at upload. See
/work/shared/conformance/bulk_csv_formats.md §1 and this package's README.md.

Spreadsheets add things Hootsuite's own template does not have, and they are tolerated
with a note rather than refused: a header row (a first row whose first cell holds no
digit), blank rows, and empty trailing columns. A fourth column with content is an error,
since Hootsuite would not read it and the person probably meant it to be read.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from chorus.publishing.bulk.dates import DateProblem, parse_hootsuite
from chorus.publishing.bulk.decoding import Record, read_records
from chorus.publishing.bulk.issues import WARNING, Issue, column_letter
from chorus.publishing.bulk.rows import MAX_ROWS, Format, Parsed, Row, Upload

COLUMNS = {"scheduled_at": ("date", "A"), "text": ("message", "B"), "link": ("link", "C")}


def label(name: str) -> tuple[str, str]:
    return COLUMNS.get(name, (name, ""))


def parse(text: str, upload: Upload) -> Parsed:
    records, stop = read_records(text)
    parsed = Parsed(Format.HOOTSUITE, [], [], label, upload.time_zone, upload.account_ids)
    if records and _is_header(records[0]):
        number = records[0].number
        parsed.issues.append(
            Issue(
                number,
                "",
                "header_skipped",
                _("Row %(row)s was read as a header and skipped: Hootsuite files have none.")
                % {"row": number},
                severity=WARNING,
            )
        )
        records = records[1:]
    parsed.rows = [_row(record, upload) for record in records]
    if len(parsed.rows) > MAX_ROWS:
        parsed.rows = parsed.rows[:MAX_ROWS]
        parsed.issues.append(too_many_rows())
    if stop is not None:
        parsed.issues.append(stop)
    return parsed


def too_many_rows() -> Issue:
    return Issue(
        None,
        "file",
        "too_many_rows",
        _("An import takes at most %(limit)s posts; split the file.") % {"limit": f"{MAX_ROWS:,}"},
    )


def _is_header(record: Record) -> bool:
    first = record.cells[0] if record.cells else ""
    return bool(first.strip()) and not any(c.isdigit() for c in first)


def _row(record: Record, upload: Upload) -> Row:
    cells = [c.strip() for c in record.cells]
    row = Row(record.number, when=cells[0] if cells else "")
    for index, cell in enumerate(cells[3:], start=3):
        if cell:
            row.issues.append(
                Issue(
                    record.number,
                    "",
                    "too_many_columns",
                    _(
                        "Column %(column)s is not empty, but Hootsuite rows have three columns: "
                        'date and time, message, link. Put commas inside quotes ("a, b").'
                    )
                    % {"column": column_letter(index)},
                    column=column_letter(index),
                )
            )
            break
    try:
        row.local = parse_hootsuite(row.when, upload.date_order)
    except DateProblem as problem:
        row.issues.append(Issue(record.number, "date", problem.code, problem.message, column="A"))
    row.text = cells[1] if len(cells) > 1 else ""
    # An empty message is reported by the composer's checks, per network.
    row.link = cells[2] if len(cells) > 2 else ""
    return row
