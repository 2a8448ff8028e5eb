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


@dataclass
class MediaInput:
    asset_id: int
    alt_text: str = ""
    network: str = ""  # blank: every network


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
