"""The next post of a repeating (RRULE) or evergreen series, made when one is published.

A repeating post's next copy is scheduled at the rule's next occurrence (occurrences
missed while Chorus was down are skipped, not sent in a burst); an evergreen post's copy
goes to the end of its accounts' queues. A post with both follows its rule.

Every repeat points at the series' first post (``series_origin``): the rule is expanded
from that post's wall-clock time, so COUNT and UNTIL count the whole series and a daily
09:00 stays 09:00 even after one occurrence was moved. A post whose rule or zone was
edited starts a series of its own.

``next_repeat`` is safe to call twice for the same post (it returns the repeat already
made) and never raises for a scheduling problem, since the delivery engine calls it: if
the copy cannot be scheduled (a paused queue, a full day), it stays a draft and the
reason is logged, so the series is not lost.
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from chorus.publishing.models import Delivery, Post, PostMedia, PostState, PostVariant
from chorus.publishing.scheduling.errors import ScheduleError
from chorus.publishing.scheduling.exact import schedule_instant
from chorus.publishing.scheduling.queueing import add_to_queue
from chorus.publishing.scheduling.recurrence import next_occurrence
from chorus.publishing.scheduling.targets import set_targets
from chorus.publishing.scheduling.zones import from_utc

logger = logging.getLogger(__name__)


def next_repeat(post: Post, now: datetime | None = None) -> Post | None:
    """Create and schedule the post after `post` in its series; None if there is none."""
    now = now or timezone.now()
    if post.state != PostState.PUBLISHED or not (post.recurrence or post.evergreen):
        return None
    with transaction.atomic():
        Post.objects.select_for_update().filter(pk=post.pk).first()
        root = _series_root(post)
        published = post.published_at or post.updated_at
        made = (
            Post.objects.filter(series_origin=root, created_at__gte=published)
            .exclude(pk=post.pk)
            .order_by("pk")
            .first()
        )
        if made is not None:
            return made
        instant = None
        if post.recurrence:
            anchor = root.scheduled_at or root.published_at or published
            try:
                instant = next_occurrence(
                    post.recurrence,
                    from_utc(anchor, root.time_zone).replace(tzinfo=None),
                    post.time_zone,
                    max(post.scheduled_at or published, now),
                )
            except ScheduleError as error:
                logger.warning("Post %s: its repeat rule cannot be used: %s", post.pk, error.code)
                return None
            if instant is None:
                return None  # the series has ended (COUNT or UNTIL)
        copy = _copy(post, root)
        try:
            if instant is not None:
                schedule_instant(copy, instant, copy.time_zone)
            else:
                add_to_queue(copy, now=now)
        except ScheduleError as error:
            logger.warning("Post %s: its repeat %s stays a draft: %s", post.pk, copy.pk, error.code)
        return copy


def _series_root(post: Post) -> Post:
    origin = post.series_origin
    if (
        origin is not None
        and origin.recurrence == post.recurrence
        # Evergreen copies take the queue's zone; only a rule is read in a zone.
        and (not post.recurrence or origin.time_zone == post.time_zone)
    ):
        return origin
    return post


def _copy(post: Post, root: Post) -> Post:
    copy = Post.objects.create(
        workspace=post.workspace,
        author=post.author,
        text=post.text,
        link=post.link,
        first_comment=post.first_comment,
        campaign=post.campaign,
        time_zone=post.time_zone,
        evergreen=post.evergreen,
        recurrence=post.recurrence,
        series_origin=root,
    )
    copy.tags.set(post.tags.all())
    PostVariant.objects.bulk_create(
        PostVariant(
            post=copy,
            network=v.network,
            text=v.text,
            link=v.link,
            first_comment=v.first_comment,
            thread=list(v.thread),
            options=dict(v.options),
        )
        for v in post.variants.all()
    )
    PostMedia.objects.bulk_create(
        PostMedia(
            post=copy,
            network=m.network,
            asset_id=m.asset_id,
            position=m.position,
            alt_text=m.alt_text,
            focus_x=m.focus_x,
            focus_y=m.focus_y,
        )
        for m in post.media.all()
    )
    accounts = [d.account for d in Delivery.objects.filter(post=post).select_related("account")]
    set_targets(copy, accounts)
    return copy
