"""Which format a file is in, and reading it into rows.

Detection, when the uploader leaves the format on "auto": text starting with "[" or "{"
is Chorus JSON; a CSV whose first row names at least one Chorus column (scheduled_at,
text, accounts, ...) and no "date..." or "message" column is Chorus CSV; any other CSV is
Hootsuite's, which has no header (a spreadsheet's own header row is skipped).
"""

from __future__ import annotations

import io
from typing import Any

from chorus.publishing.bulk import chorus_csv, chorus_json, hootsuite
from chorus.publishing.bulk.decoding import FileProblem, decode, read_records
from chorus.publishing.bulk.rows import Format, Parsed, Upload


def detect(text: str) -> Format:
    start = text.lstrip()[:1]
    if start in ("[", "{"):
        return Format.JSON
    # A header row never spans lines: its first non-blank line is enough.
    first = next((line for line in io.StringIO(text) if line.strip()), "")
    records, _stop = read_records(first)
    if records and chorus_csv.looks_like_header(records[0]):
        return Format.CSV
    return Format.HOOTSUITE


def parse(upload: Upload) -> Parsed:
    try:
        text = decode(upload.content, upload.encoding)
    except FileProblem as problem:
        # Unreadable text has no format to detect: it stays "auto".
        return Parsed(
            upload.format,
            [],
            [problem.issue],
            time_zone=upload.time_zone,
            account_ids=upload.account_ids,
        )
    fmt: Format = detect(text) if upload.format == Format.AUTO else upload.format
    if fmt == Format.JSON:
        return chorus_json.parse(text, upload)
    if fmt == Format.CSV:
        return chorus_csv.parse(text, upload)
    return hootsuite.parse(text, upload)


def parse_posts(posts: list[Any], upload: Upload) -> Parsed:
    """Posts given as already-decoded JSON (the API's `posts` body)."""
    parsed = Parsed(Format.JSON, [], [], chorus_json.label, upload.time_zone, upload.account_ids)
    return chorus_json.rows_from(posts, parsed)
