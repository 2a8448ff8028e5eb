"""What a composer (form, API, CSV row) hands over to be checked and saved."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class VariantInput:
    network: str
    text: str = ""
    link: str = ""
    first_comment: str = ""
    thread: list[str] = field(default_factory=list)
    options: dict[str, Any] = field(default_factory=dict)


Focus = tuple[float, float]


def focus_in_range(focus: Focus) -> bool:
    # NaN compares false both ways, so it fails here too.
    return len(focus) == 2 and all(-1.0 <= value <= 1.0 for value in focus)


def focus_from_text(value: str) -> Focus | None:
    """Read "x, y", each from -1 to 1, as forms and files write a focus point; blank is
    None; anything else is a ValueError."""
    if not value.strip():
        return None
    parts = value.split(",")
    if len(parts) != 2:
        raise ValueError(value)
    focus = (float(parts[0].strip()), float(parts[1].strip()))
    if not focus_in_range(focus):
        raise ValueError(value)
    return focus


def focus_as_text(focus: Focus | None) -> str:
    return "" if focus is None else f"{_number(focus[0])}, {_number(focus[1])}"


def _number(value: float) -> str:
    # The shortest text that reads back as the same float, so files round-trip exactly.
    text = repr(value)
    return text.removesuffix(".0")


@dataclass
class MediaInput:
    asset_id: int
    alt_text: str = ""
    network: str = ""  # blank: every network
    # Mastodon's focal point, (x, y) each in -1.0..1.0; None: the centre.
    focus: Focus | None = None


@dataclass
class PostInput:
    text: str = ""
    link: str = ""
    first_comment: str = ""
    account_ids: list[int] = field(default_factory=list)
    variants: list[VariantInput] = field(default_factory=list)
    media: list[MediaInput] = field(default_factory=list)
    campaign_id: int | None = None
    tags: list[str] = field(default_factory=list)
    evergreen: bool = False
    recurrence: str = ""
    # What happens to links when the post goes out: shorten, utm_only or keep.
    link_mode: str = "shorten"

    def variant(self, network: str) -> VariantInput | None:
        return next((v for v in self.variants if v.network == network), None)
