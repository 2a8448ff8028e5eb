"""From uploaded bytes to text, and from CSV text to records with spreadsheet row numbers.

Encoding: UTF-8, with or without a byte-order mark, is what the sources describe (Hootsuite
users re-save Excel exports as UTF-8). A file that is not valid UTF-8 is refused with the
line of the first bad byte rather than guessed at: Excel's "CSV" on Windows writes the
machine's legacy code page (Windows-1252 in western Europe, Shift-JIS in Japan), and
guessing wrong turns every accent into mojibake without anyone noticing. Who knows their
file is Windows-1252 can say so at upload. A UTF-16 byte-order mark (Excel's "Unicode
text") is unambiguous and is honoured.

Separator: a comma; a semicolon or a tab when the first line has more of those than of
commas, since Excel writes ";" in locales whose decimal mark is a comma. The sources do
not mention this; it costs nothing and saves a confusing error.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from django.utils.translation import gettext as _

from chorus.publishing.bulk.issues import Issue
from chorus.publishing.bulk.rows import MAX_ROWS, Encoding

# 10,000 rows of long posts with a few columns each stay well below this.
MAX_FILE_BYTES = 20 * 1024 * 1024
_BOMS = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)


class FileProblem(Exception):
    def __init__(self, issue: Issue) -> None:
        super().__init__(issue.message)
        self.issue = issue


def decode(content: bytes, encoding: Encoding) -> str:
    if not content.strip():
        raise FileProblem(Issue(None, "file", "empty_file", _("The file is empty.")))
    if len(content) > MAX_FILE_BYTES:
        raise FileProblem(
            Issue(
                None,
                "file",
                "file_too_large",
                _("The file is %(size)s MB; an import takes at most %(limit)s MB. Split it in two.")
                % {"size": round(len(content) / 1024**2, 1), "limit": MAX_FILE_BYTES // 1024**2},
            )
        )
    for bom, codec in _BOMS:
        if content.startswith(bom):
            return _decode(content[len(bom) :], codec)
    return _decode(content, encoding.value)


def _decode(content: bytes, codec: str) -> str:
    try:
        return content.decode(codec)
    except UnicodeDecodeError as exc:
        line = content[: exc.start].count(b"\n") + 1
        byte = content[exc.start : exc.start + 1].hex().upper()
        if codec == "utf-8":
            message = _(
                "The file is not UTF-8 text: byte 0x%(byte)s on line %(line)s is not valid "
                "UTF-8. In Excel, save it as “CSV UTF-8”; or, if it was saved as Windows-1252, "
                "choose that encoding when uploading."
            )
        else:
            message = _("Byte 0x%(byte)s on line %(line)s is not valid %(codec)s text.")
        raise FileProblem(
            Issue(
                None,
                "file",
                "invalid_encoding",
                message % {"byte": byte, "line": line, "codec": codec},
            )
        ) from None


@dataclass(frozen=True)
class Record:
    number: int  # the spreadsheet row: the file's first record is row 1
    cells: list[str]

    @property
    def blank(self) -> bool:
        return not any(c.strip() for c in self.cells)


def sniff_delimiter(text: str) -> str:
    first = text.lstrip("\r\n").split("\n", 1)[0]
    outside, quoted = [], False
    for char in first:
        if char == '"':
            quoted = not quoted
        elif not quoted:
            outside.append(char)
    counts = {d: outside.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > counts[","] else ","


def read_records(text: str) -> tuple[list[Record], Issue | None]:
    """The non-blank records of `text` (blank ones only advance the row number), and the
    structural problem that stopped the reading, if any: a quote never closed, a stray
    quote, a cell too large. Records before the problem are kept so that their own errors
    are reported too. Reading stops past MAX_ROWS + 1 records (a header and one too many),
    which is enough to say the file is too long."""
    records: list[Record] = []
    # strict: a stray quote is an error, not silently glued to the cell.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text), strict=True)
    number = 0
    while len(records) <= MAX_ROWS + 1:
        number += 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            return records, _structure_issue(number, str(exc))
        record = Record(number, cells)
        if not record.blank:
            records.append(record)
    return records, None


def _structure_issue(row: int, detail: str) -> Issue:
    if "unexpected end of data" in detail:
        code = "unclosed_quote"
        message = _(
            'Row %(row)s opens a quoted cell (") that is never closed, so the rest of the '
            "file cannot be read. Close the quote or remove it."
        )
    elif "field larger than field limit" in detail:
        code = "cell_too_large"
        message = _("Row %(row)s has a cell larger than any post can be; check its quotes.")
    elif "expected after" in detail:
        code = "stray_quote"
        message = _(
            'Row %(row)s has a quote (") in the middle of a quoted cell. Inside quotes, '
            'write a quote twice ("").'
        )
    else:
        code = "malformed_csv"
        message = _("Row %(row)s is not valid CSV and stops the reading of the file.")
    return Issue(row, "", code, message % {"row": row})
