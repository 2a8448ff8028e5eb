"""A checked row, ready to be written: what the import plans to create."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from chorus.orgs.models import SocialAccount
from chorus.publishing.bulk.issues import Issue
from chorus.publishing.bulk.rows import Row
from chorus.publishing.compose.inputs import Focus, PostInput


@dataclass(frozen=True)
class PlannedMedia:
    source: str
    alt_text: str
    network: str
    focus: Focus | None = None


@dataclass
class Planned:
    number: int
    row: Row
    targets: list[SocialAccount]
    zone: str
    instant: datetime | None
    data: PostInput
    # In the order the post keeps its media.
    media: list[PlannedMedia] = field(default_factory=list)


@dataclass
class Plan:
    posts: list[Planned]
    issues: list[Issue]
    scheduled: bool
