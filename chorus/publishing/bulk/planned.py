"""A checked row, ready to be written: what the import plans to create."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from chorus.orgs.models import SocialAccount
from chorus.publishing.bulk.issues import Issue
from chorus.publishing.bulk.rows import Row
from chorus.publishing.compose.inputs import PostInput


@dataclass
class Planned:
    number: int
    row: Row
    targets: list[SocialAccount]
    zone: str
    instant: datetime | None
    data: PostInput
    # (source, alt text, network) in the order the post keeps its media
    media: list[tuple[str, str, str]] = field(default_factory=list)


@dataclass
class Plan:
    posts: list[Planned]
    issues: list[Issue]
    scheduled: bool
