"""What the scheduling services share: locks, the queue view of the database, and the
one write that puts a post and its deliveries on a time.

Lock order: the accounts' queue rows (by account id), then post rows (by id), then
delivery rows. Two operations on the same queue therefore wait for each other instead of
both picking the same free slot. ("Share next" learns of some accounts only after locking
the post; it locks those queues next, still before the other posts.)
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chorus.orgs.models import SocialAccount
from chorus.publishing import states
from chorus.publishing.models import AccountQueue, Delivery, DeliveryState, Post, PostingSlot
from chorus.publishing.scheduling.errors import ScheduleError
from chorus.publishing.scheduling.slots import AccountPlan, Slot
from chorus.publishing.scheduling.zones import day_bounds, zone_info

D = DeliveryState
# Deliveries that use up a slot and count toward a daily limit.
OCCUPYING = (D.SCHEDULED, D.SENDING, D.RETRYING, D.UNKNOWN, D.PUBLISHED)
# Deliveries that may be (re)scheduled; published ones are left alone.
RESCHEDULABLE = (D.WAITING, D.SCHEDULED, D.FAILED, D.CANCELLED)
IN_FLIGHT = (D.SENDING, D.RETRYING, D.UNKNOWN)
# The post fields scheduling writes (and re-reads after a rollback).
SCHEDULE_FIELDS = ["state", "version", "scheduled_at", "time_zone", "queued", "updated_at"]
# How far back deliveries can still count toward today's limit in any zone.
LOOKBACK = timedelta(days=2)


@contextmanager
def all_or_nothing(post: Post) -> Iterator[None]:
    """A transaction; on failure `post` is re-read, so the caller never holds a state the
    rollback undid."""
    try:
        with transaction.atomic():
            yield
    except BaseException:
        with suppress(Post.DoesNotExist):
            post.refresh_from_db(fields=SCHEDULE_FIELDS)
        raise


def lock_queues(account_ids: Iterable[int]) -> dict[int, AccountQueue]:
    ids = sorted(set(account_ids))
    AccountQueue.objects.bulk_create(
        [AccountQueue(account_id=i) for i in ids], ignore_conflicts=True
    )
    # Only the queue rows are locked, not the accounts joined in for their handles.
    rows = (
        AccountQueue.objects.select_for_update(of=("self",))
        .filter(account_id__in=ids)
        .select_related("account")
        .order_by("account_id")
    )
    return {q.account_id: q for q in rows}


def lock_post(post: Post) -> None:
    """Lock the post's row and bring the fields scheduling reads up to date."""
    fresh = Post.objects.select_for_update().get(pk=post.pk)
    for name in SCHEDULE_FIELDS:
        setattr(post, name, getattr(fresh, name))


def target_account_ids(post: Post) -> list[int]:
    return sorted(set(post.deliveries.values_list("account_id", flat=True)))


def targets(post: Post) -> list[Delivery]:
    """The post's deliveries still to be sent, or a ScheduleError."""
    deliveries = list(post.deliveries.select_related("account").order_by("account_id"))
    busy = [d for d in deliveries if d.state in IN_FLIGHT]
    if busy:
        raise ScheduleError(
            "in_flight",
            "scheduled_at",
            _("%(account)s is publishing this post right now. Wait until it has finished."),
            {"account": busy[0].account.handle},
        )
    open_ = [d for d in deliveries if d.state in RESCHEDULABLE]
    if not open_:
        raise ScheduleError("no_accounts", "accounts", _("Choose at least one account to post to."))
    return open_


def require_open_queues(queues: dict[int, AccountQueue], ids: Iterable[int]) -> None:
    """Queue operations need a running queue with posting slots on every account."""
    with_slots = set(
        PostingSlot.objects.filter(account_id__in=list(ids)).values_list("account_id", flat=True)
    )
    for account_id in sorted(ids):
        queue = queues[account_id]
        if queue.paused:
            raise ScheduleError(
                "queue_paused",
                "accounts",
                _("The queue of %(account)s is paused. Resume it, or choose a time."),
                {"account": queue.account.handle},
            )
        if account_id not in with_slots:
            raise ScheduleError(
                "no_slots",
                "accounts",
                _("%(account)s has no posting slots. Add some, or choose a time."),
                {"account": queue.account.handle},
            )


def plans(
    queues: dict[int, AccountQueue],
    now: datetime,
    *,
    exclude_posts: Iterable[int] = (),
    exclude_deliveries: Iterable[int] = (),
) -> dict[int, AccountPlan]:
    """Each queue's slots, limit and taken instants (minus what is being moved)."""
    ids = list(queues)
    slots: dict[int, list[Slot]] = {i: [] for i in ids}
    for account_id, weekday, at in PostingSlot.objects.filter(account_id__in=ids).values_list(
        "account_id", "weekday", "time"
    ):
        slots[account_id].append((weekday, at))
    taken: dict[int, list[datetime]] = {i: [] for i in ids}
    rows = (
        Delivery.objects.filter(
            account_id__in=ids, state__in=OCCUPYING, scheduled_for__gte=now - LOOKBACK
        )
        .exclude(post_id__in=list(exclude_posts))
        .exclude(pk__in=list(exclude_deliveries))
        .values_list("account_id", "scheduled_for")
    )
    for account_id, instant in rows:
        if instant is not None:
            taken[account_id].append(instant)
    return {
        i: AccountPlan(
            slots=slots[i],
            taken=taken[i],
            daily_limit=queues[i].daily_limit,
        )
        for i in ids
    }


def check_daily_limit(
    account: SocialAccount, queue: AccountQueue, instant: datetime, post: Post
) -> None:
    """Refuse a post on a local day (the workspace's zone) that is already full."""
    if queue.daily_limit is None:
        return
    tz = zone_info(account.workspace.time_zone)
    day = instant.astimezone(tz).date()
    start, end = day_bounds(day, tz)
    used = (
        Delivery.objects.filter(
            account=account, state__in=OCCUPYING, scheduled_for__gte=start, scheduled_for__lt=end
        )
        .exclude(post=post)
        .count()
    )
    if used >= queue.daily_limit:
        raise ScheduleError(
            "daily_limit_reached",
            "scheduled_at",
            _(
                "%(account)s has reached its daily limit (%(limit)s) on %(day)s. "
                "Choose another day or raise the limit."
            ),
            {"account": account.handle, "limit": queue.daily_limit, "day": day.isoformat()},
        )


def write_schedule(
    post: Post, deliveries: list[Delivery], instant: datetime, zone: str, *, queued: bool
) -> None:
    """Put `post` and `deliveries` on `instant`; the post becomes scheduled."""
    now = timezone.now()
    Delivery.objects.filter(pk__in=[d.pk for d in deliveries]).update(
        state=D.SCHEDULED, scheduled_for=instant, due_at=instant, updated_at=now
    )
    moved = post.state != states.S.SCHEDULED
    if moved:
        states.move(post, states.S.SCHEDULED)  # bumps the version
    Post.objects.filter(pk=post.pk).update(
        scheduled_at=instant,
        time_zone=zone,
        queued=queued,
        updated_at=now,
        version=F("version") + (0 if moved else 1),
    )
    post.refresh_from_db(fields=SCHEDULE_FIELDS)


def move_deliveries(post_id: int, delivery_ids: list[int], instant: datetime) -> None:
    """Give some already scheduled deliveries a new time (re-slotting)."""
    now = timezone.now()
    Delivery.objects.filter(pk__in=delivery_ids, state=D.SCHEDULED).update(
        scheduled_for=instant, due_at=instant, updated_at=now
    )
    times = [
        t
        for t in Delivery.objects.filter(post_id=post_id).values_list("scheduled_for", flat=True)
        if t is not None
    ]
    Post.objects.filter(pk=post_id).update(
        scheduled_at=min(times, default=instant), updated_at=now, version=F("version") + 1
    )
