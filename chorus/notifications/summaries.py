"""What a workspace's daily summary says: the last 24 hours and the next 24."""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from chorus.orgs.models import SocialAccount, Workspace
from chorus.publishing.models import DeliveryState, Post, PostState

WINDOW = timedelta(hours=24)


@dataclass(frozen=True)
class Summary:
    day: date  # in the workspace's time zone
    published: int
    failed: list[Post]
    scheduled: int
    reconnect: list[SocialAccount]


def zone_of(workspace: Workspace) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(workspace.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        # Workspaces are saved with a validated zone; a zone dropped from a later tzdata
        # release must not stop every other summary.
        return zoneinfo.ZoneInfo("UTC")


def summarise(workspace: Workspace, now: datetime) -> Summary:
    since, until = now - WINDOW, now + WINDOW
    posts = Post.objects.filter(workspace=workspace)
    published = (
        posts.filter(
            deliveries__state=DeliveryState.PUBLISHED,
            deliveries__published_at__gte=since,
            deliveries__published_at__lt=now,
        )
        .distinct()
        .count()
    )
    # A delivery has no "failed at"; its last change is when it was given up on.
    failed = list(
        posts.filter(
            deliveries__state=DeliveryState.FAILED,
            deliveries__updated_at__gte=since,
            deliveries__updated_at__lt=now,
        )
        .select_related("workspace__organisation")
        .distinct()
        .order_by("pk")
    )
    scheduled = posts.filter(
        state=PostState.SCHEDULED, scheduled_at__gte=now, scheduled_at__lt=until
    ).count()
    reconnect = list(
        SocialAccount.objects.filter(
            workspace=workspace, status=SocialAccount.Status.NEEDS_RECONNECT
        ).order_by("network", "handle")
    )
    return Summary(
        day=now.astimezone(zone_of(workspace)).date(),
        published=published,
        failed=failed,
        scheduled=scheduled,
        reconnect=reconnect,
    )
