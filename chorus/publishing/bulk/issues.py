"""What is wrong with an imported file, where: row, column and field, as the person sees
them in their spreadsheet, with a stable code and a sentence in their language."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Issue:
    # The spreadsheet row (the header, when there is one, is row 1) or, for JSON, the
    # item's position in the list counting from 1. None: the file as a whole.
    row: int | None
    # The column as the file names it ("scheduled_at", "message", "variants[x].text").
    field: str
    code: str
    message: str
    # The spreadsheet column letter (A, B, ... AA), when the file is a CSV.
    column: str = ""
    network: str = ""
    # Character span (code points) in the cell's text, trimmed of surrounding spaces.
    start: int | None = None
    end: int | None = None
    severity: str = ERROR

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA: how spreadsheets name columns."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def sort_key(issue: Issue) -> tuple[int, int, str]:
    return (issue.row or 0, 0 if issue.is_error else 1, issue.column or issue.field)
