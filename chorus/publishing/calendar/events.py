"""Posts as FullCalendar events, on the viewer's wall clock.

Why wall times without an offset: the page gives FullCalendar the viewer's IANA zone and
no time-zone plugin, so FullCalendar works in "UTC-coercion" mode: it places a string
like "2030-03-30T03:00:00" at exactly that wall time and does no offset arithmetic of its
own. The conversion from the stored UTC instant happens here, with zoneinfo, which knows
every DST rule; the browser's own zone plays no part, so a person in New York whose
laptop says Berlin still sees New York times. When an event is dropped, the browser sends
the new wall date or time back in the same zone and the server converts it again (see
moves.py), rescheduling in the post's own zone.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db.models import F, QuerySet
from django.db.models.functions import Coalesce
from django.urls import NoReverseMatch, reverse

from chorus.orgs.models import Workspace
from chorus.publishing.calendar.filters import Filters
from chorus.publishing.models import Post, PostState

S = PostState
# States a drag may reschedule: the state machine lets each become scheduled.
MOVABLE = frozenset({S.DRAFT, S.APPROVED, S.SCHEDULED, S.FAILED})
# More posts than this in one range means the range is too wide to be useful.
MAX_EVENTS = 2000
TITLE_LENGTH = 80
# Short marks for the networks Chorus knows; others get their first two letters.
NETWORK_MARKS = {
    "bluesky": "Bs",
    "facebook": "Fb",
    "instagram": "Ig",
    "linkedin": "in",
    "mastodon": "Ma",
    "pinterest": "Pi",
    "threads": "Th",
    "tiktok": "Tt",
    "webhook": "Wh",
    "x": "X",
    "youtube": "Yt",
}


def posts_in_range(
    workspace: Workspace, start: datetime, end: datetime, filters: Filters
) -> QuerySet[Post]:
    """Posts whose calendar time (published, else scheduled) is in [start, end)."""
    posts = (
        Post.objects.filter(workspace=workspace)
        .annotate(at=Coalesce(F("published_at"), F("scheduled_at")))
        .filter(at__gte=start, at__lt=end)
    )
    if filters.account:
        posts = posts.filter(deliveries__account=filters.account)
    if filters.campaign:
        posts = posts.filter(campaign=filters.campaign)
    if filters.tag:
        posts = posts.filter(tags=filters.tag)
    if filters.states:
        posts = posts.filter(state__in=filters.states)
    return (
        posts.distinct()
        .select_related("campaign", "workspace__organisation")
        .prefetch_related("deliveries__account", "tags")
        .order_by("at", "pk")
    )


def calendar_time(post: Post) -> datetime | None:
    return post.published_at or post.scheduled_at


def is_movable(post: Post) -> bool:
    return post.state in MOVABLE and post.scheduled_at is not None


def wall_time(instant: datetime, zone: ZoneInfo) -> str:
    return instant.astimezone(zone).replace(tzinfo=None).isoformat(timespec="seconds")


def title(post: Post) -> str:
    lines = post.text.strip().splitlines()
    first = lines[0].strip() if lines else ""
    if len(first) > TITLE_LENGTH:
        first = first[: TITLE_LENGTH - 1].rstrip() + "…"
    return first


def detail_url(post: Post) -> str:
    """The post's page, which the composer's views serve (chorus/publishing/web/)."""
    org, ws = post.workspace.organisation.slug, post.workspace.slug
    for name in ("web:post", "web:post_detail"):
        try:
            return reverse(name, kwargs={"org_slug": org, "ws_slug": ws, "post_id": post.pk})
        except NoReverseMatch:
            continue
    return f"/o/{org}/w/{ws}/posts/{post.pk}/"


def move_url(post: Post) -> str:
    return reverse(
        "web:calendar_move",
        kwargs={
            "org_slug": post.workspace.organisation.slug,
            "ws_slug": post.workspace.slug,
            "post_id": post.pk,
        },
    )


def networks(post: Post) -> list[dict[str, str]]:
    seen: dict[tuple[str, str], dict[str, str]] = {}
    for delivery in sorted(post.deliveries.all(), key=lambda d: (d.network, d.account_id)):
        key = (delivery.network, delivery.account.handle)
        seen.setdefault(
            key,
            {
                "network": delivery.network,
                "mark": NETWORK_MARKS.get(delivery.network, delivery.network[:2].title()),
                "handle": delivery.account.handle,
                "state": delivery.state,
            },
        )
    return list(seen.values())


def _own_zone(post: Post) -> ZoneInfo:
    # The scheduling services only store zones they know; an unknown one (a zone dropped
    # from a later tzdata) still shows the post, in UTC, rather than breaking the feed.
    try:
        return ZoneInfo(post.time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def as_event(post: Post, zone: ZoneInfo, *, can_move: bool) -> dict[str, Any]:
    at = calendar_time(post)
    if at is None:
        raise ValueError("a post without a time has no place on the calendar")
    movable = can_move and is_movable(post)
    return {
        "id": str(post.pk),
        "title": title(post),
        "start": wall_time(at, zone),
        "allDay": False,
        "editable": movable,
        "url": detail_url(post),
        "classNames": ["chorus-event", f"chorus-event--{post.state}"],
        "extendedProps": {
            "state": post.state,
            "stateLabel": str(PostState(post.state).label),
            "instant": at.isoformat(),
            "postTimeZone": post.time_zone,
            "postLocalTime": wall_time(at, _own_zone(post)),
            "networks": networks(post),
            "campaign": post.campaign.name if post.campaign else "",
            "tags": sorted(t.name for t in post.tags.all()),
            "moveUrl": move_url(post) if movable else "",
        },
    }
