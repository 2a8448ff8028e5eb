"""Reading the list, flag and option cells shared by the Chorus CSV and JSON formats.

Lists of names and addresses (accounts, media_urls, tags) are separated by "|", which no
handle, URL or sensible tag contains. Lists of free text (thread parts, media alt texts)
are separated by a line holding only "---", since text may contain any character and a
spreadsheet cell shows line breaks as written.
"""

from __future__ import annotations

import json
import re
from typing import Any

from django.utils.translation import gettext as _

PART_BREAK = re.compile(r"(?m)^[ \t]*---[ \t]*$")
_TRUE = frozenset({"true", "yes", "y", "1"})
_FALSE = frozenset({"false", "no", "n", "0", ""})


class CellProblem(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def normal_newlines(value: str) -> str:
    return value.replace("\r\n", "\n").replace("\r", "\n")


def split_list(value: str) -> list[str]:
    return [t.strip() for t in value.split("|") if t.strip()]


def split_parts(value: str, *, keep_empty: bool = False) -> list[str]:
    """Parts between "---" lines. With `keep_empty`, a blank part keeps its place (the
    second of three media files may be the only one with an alt text)."""
    if not value.strip():
        return []
    parts = [p.strip() for p in PART_BREAK.split(value)]
    return parts if keep_empty else [p for p in parts if p]


def join_parts(parts: list[str]) -> str:
    return "\n---\n".join(parts)


def flag(value: str) -> bool:
    word = value.strip().lower()
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    raise CellProblem(
        "invalid_flag",
        _("“%(value)s” is not yes or no (write true or false).") % {"value": value[:40]},
    )


def options(value: str) -> dict[str, Any]:
    if not value.strip():
        return {}
    try:
        parsed = json.loads(value)
    except ValueError:
        parsed = None
    if not isinstance(parsed, dict):
        raise CellProblem(
            "invalid_options",
            _('Network options are a JSON object, such as {"visibility": "unlisted"}.'),
        )
    return parsed
