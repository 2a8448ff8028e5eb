"""Reading the list, flag and option cells shared by the Chorus CSV and JSON formats.

Lists of names and addresses (accounts, media_urls, tags) are separated by "|", which no
handle, URL or sensible tag contains; so are media focus points ("x, y" per file, an empty
one keeping its place). Lists of free text (thread parts, media alt texts)
are separated by a line holding only "---", since text may contain any character and a
spreadsheet cell shows line breaks as written.
"""

from __future__ import annotations

import json
import re
from typing import Any

from django.utils.translation import gettext as _

from chorus.publishing.compose.inputs import Focus, focus_as_text, focus_from_text

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


def focus_points(value: str) -> list[Focus | None]:
    """One focus point per media file, "|"-separated; an empty one is the centre."""
    if not value.strip():
        return []
    points: list[Focus | None] = []
    for part in value.split("|"):
        try:
            points.append(focus_from_text(part))
        except ValueError:
            raise CellProblem(
                "invalid_focus",
                _(
                    "“%(value)s” is not a focus point. Write two numbers from -1 to 1 separated "
                    "by a comma, such as “0, 0.5” (x from left to right, y from bottom to top), "
                    "one per media file separated by |."
                )
                % {"value": part.strip()[:40]},
            ) from None
    return points


def join_focus_points(points: list[Focus | None]) -> str:
    return "|".join(focus_as_text(p) for p in points) if any(points) else ""
