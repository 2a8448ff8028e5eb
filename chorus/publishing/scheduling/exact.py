"""Posts at a time the author chose: "schedule for", "share now", calendar drag-and-drop."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chorus.publishing.models import AccountQueue, Post
from chorus.publishing.scheduling import store
from chorus.publishing.scheduling.errors import ScheduleError
from chorus.publishing.scheduling.zones import LOCAL_FORMAT, from_utc, to_utc, zone_info

# A time this close behind "now" is still accepted (and goes out at once): the form was
# filled in a minute ago, the clock moved on, and the author meant "now".
GRACE = timedelta(seconds=60)


def schedule_at(
    post: Post,
    local: datetime,
    zone: str,
    *,
    fold: int | None = None,
    now: datetime | None = None,
) -> None:
    """Schedule `post` at wall-clock `local` in `zone` on every target account.

    Errors (ScheduleError): unknown zone (time_zone), a time the clocks skip or show twice
    without `fold` (scheduled_at), a time more than GRACE in the past (scheduled_at), an
    account's daily limit reached that day (scheduled_at), no accounts (accounts).
    All deliveries are scheduled, or none is.
    """
    now = now or timezone.now()
    instant = to_utc(local, zone, fold=fold)
    if instant < now - GRACE:
        raise ScheduleError(
            "in_past",
            "scheduled_at",
            _("%(time)s (%(zone)s) is in the past. Choose a later time."),
            {"time": local.strftime(LOCAL_FORMAT), "zone": zone},
        )
    schedule_instant(post, instant, zone)


def share_now(post: Post, now: datetime | None = None) -> None:
    """Send `post` right away: its deliveries are due now. A paused queue refuses it,
    since the post could not go out until the queue is resumed."""
    now = now or timezone.now()
    with store.all_or_nothing(post):
        queues = store.lock_queues(store.target_account_ids(post))
        for queue in queues.values():
            if queue.paused:
                raise ScheduleError(
                    "queue_paused",
                    "accounts",
                    _(
                        "The queue of %(account)s is paused, so nothing can go out now. "
                        "Resume it first."
                    ),
                    {"account": queue.account.handle},
                )
        _schedule_locked(post, queues, now, post.time_zone, queued=False)


def reschedule_keeping_time(
    post: Post, new_local_date: date, *, fold: int | None = None, now: datetime | None = None
) -> None:
    """Move a scheduled post to another day at the same wall-clock time in its zone.

    09:00 in Europe/Berlin dragged across a DST change is still 09:00 in Berlin; the UTC
    instant changes by the offset difference. A queued post dragged to a day leaves the
    queue: it now has a time of its own.
    """
    if post.scheduled_at is None:
        raise ScheduleError(
            "not_scheduled", "scheduled_at", _("This post has no time yet; choose one first.")
        )
    wall = from_utc(post.scheduled_at, post.time_zone).replace(tzinfo=None)
    schedule_at(
        post, datetime.combine(new_local_date, wall.time()), post.time_zone, fold=fold, now=now
    )


def schedule_instant(post: Post, instant: datetime, zone: str) -> None:
    """Schedule `post` at a UTC instant, keeping `zone` as the zone it was meant in."""
    zone_info(zone)
    with store.all_or_nothing(post):
        queues = store.lock_queues(store.target_account_ids(post))
        _schedule_locked(post, queues, instant, zone, queued=False)


def _schedule_locked(
    post: Post, queues: dict[int, AccountQueue], instant: datetime, zone: str, *, queued: bool
) -> None:
    store.lock_post(post)
    deliveries = store.targets(post)
    # A target added since the queues were locked (a concurrent edit) is locked now.
    queues.update(store.lock_queues({d.account_id for d in deliveries} - set(queues)))
    for delivery in deliveries:
        store.check_daily_limit(delivery.account, queues[delivery.account_id], instant, post)
    store.write_schedule(post, deliveries, instant, zone, queued=queued)
