"""Queue operations: "add to queue", "share next", pause and resume, daily limits.

Slots are read in the workspace's zone. A post aimed at several accounts goes into a slot
that is free on every one of them (the earliest common free slot), so its deliveries go
out together; accounts with no slot in common get a clear error instead of a post split
across days.

Pausing only raises the flag: the delivery engine does not claim deliveries of a paused
account. Resuming re-slots the queued posts whose slot passed during the pause (in queue
order, from now), so they do not all go out at once; posts scheduled at a chosen time
keep it, and those whose time passed go out on resume.
"""

from __future__ import annotations

from collections.abc import Hashable
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chorus.orgs.models import SocialAccount
from chorus.publishing.models import AccountQueue, Delivery, DeliveryState, Post, PostState
from chorus.publishing.scheduling import store
from chorus.publishing.scheduling.errors import ScheduleError
from chorus.publishing.scheduling.slots import HORIZON_DAYS, QueueItem, reslot

MAX_DAILY_LIMIT = 32767  # the column's range


def add_to_queue(post: Post, now: datetime | None = None) -> None:
    """Put `post` in the first common free slot after the last queued post of its accounts."""
    now = now or timezone.now()
    with store.all_or_nothing(post):
        ids, queues, deliveries = _open_targets(post)
        last = (
            Delivery.objects.filter(
                account_id__in=ids,
                state=DeliveryState.SCHEDULED,
                post__queued=True,
                post__state=PostState.SCHEDULED,
            )
            .exclude(post=post)
            .aggregate(last=Max("scheduled_for"))["last"]
        )
        not_before = last + timedelta(microseconds=1) if last and last > now else None
        zone = post.workspace.time_zone
        placed = reslot(
            [QueueItem(post.pk, tuple(ids), not_before)],
            store.plans(queues, now, exclude_posts=[post.pk]),
            zone,
            now,
        )
        store.write_schedule(post, deliveries, _placed(placed, post.pk, queues), zone, queued=True)


def share_next(post: Post, now: datetime | None = None) -> None:
    """Put `post` in the first free slot; the queued posts behind it move back a slot each
    as far as needed (see ``slots.reslot``)."""
    now = now or timezone.now()
    with store.all_or_nothing(post):
        ids, queues, deliveries = _open_targets(post)
        behind_ids = set(
            Delivery.objects.filter(
                account_id__in=ids,
                state=DeliveryState.SCHEDULED,
                scheduled_for__gt=now,
                post__queued=True,
                post__state=PostState.SCHEDULED,
            )
            .exclude(post=post)
            .values_list("post_id", flat=True)
        )
        moving = list(
            Delivery.objects.filter(post_id__in=behind_ids, state=DeliveryState.SCHEDULED)
            .order_by("scheduled_for", "post_id", "pk")
            .values_list("pk", "post_id", "account_id", "scheduled_for")
        )
        # Posts behind may also go to accounts outside this post's: those queues count too.
        queues.update(store.lock_queues({m[2] for m in moving} - set(queues)))
        list(Post.objects.select_for_update().filter(pk__in=behind_ids).order_by("pk"))
        items = [QueueItem(post.pk, tuple(ids))]
        order: dict[int, list[tuple[int, int, datetime]]] = {}
        for pk, post_id, account_id, instant in moving:
            if instant is not None:  # always, for a scheduled delivery
                order.setdefault(post_id, []).append((pk, account_id, instant))
        for post_id, rows in order.items():
            first = min(r[2] for r in rows)
            items.append(QueueItem(post_id, tuple(sorted({r[1] for r in rows})), first))
        zone = post.workspace.time_zone
        placed = reslot(
            items,
            store.plans(queues, now, exclude_posts=[post.pk, *behind_ids]),
            zone,
            now,
        )
        for post_id, rows in order.items():
            instant = _placed(placed, post_id, queues)
            if any(r[2] != instant for r in rows):
                store.move_deliveries(post_id, [r[0] for r in rows], instant)
        store.write_schedule(post, deliveries, _placed(placed, post.pk, queues), zone, queued=True)


def pause_queue(account: SocialAccount) -> None:
    """Stop `account`'s posts from going out (the engine skips paused queues)."""
    with transaction.atomic():
        queue = store.lock_queues([account.pk])[account.pk]
        queue.paused = True
        queue.save(update_fields=["paused"])


def resume_queue(account: SocialAccount, now: datetime | None = None) -> None:
    """Let `account`'s posts go out again, re-slotting queued posts whose slot passed."""
    now = now or timezone.now()
    with transaction.atomic():
        queues = store.lock_queues([account.pk])
        queue = queues[account.pk]
        if not queue.paused:
            return
        queue.paused = False
        queue.save(update_fields=["paused"])
        held = [
            (pk, post_id, instant)
            for pk, post_id, instant in Delivery.objects.filter(
                account=account,
                state=DeliveryState.SCHEDULED,
                post__queued=True,
                post__state=PostState.SCHEDULED,
            )
            .order_by("scheduled_for", "pk")
            .values_list("pk", "post_id", "scheduled_for")
            if instant is not None
        ]
        if not any(instant <= now for _pk, _post, instant in held):
            return
        items = [QueueItem(pk, (account.pk,), max(instant, now)) for pk, _post, instant in held]
        placed = reslot(
            items,
            store.plans(queues, now, exclude_deliveries=[pk for pk, _p, _i in held]),
            account.workspace.time_zone,
            now,
        )
        for pk, post_id, instant in held:
            new = placed[pk]
            # No slot left (slots removed during the pause): it goes out now, as before.
            if new is not None and new != instant:
                store.move_deliveries(post_id, [pk], new)


def set_daily_limit(account: SocialAccount, n: int | None) -> None:
    """At most `n` posts a local day on `account` (None: no limit). Posts already
    scheduled beyond a lowered limit stay where they are."""
    if n is not None and (
        not isinstance(n, int) or isinstance(n, bool) or not 1 <= n <= MAX_DAILY_LIMIT
    ):
        raise ScheduleError(
            "invalid_daily_limit",
            "daily_limit",
            _("Enter a whole number from 1 to %(max)s, or leave it empty for no limit."),
            {"max": MAX_DAILY_LIMIT},
        )
    with transaction.atomic():
        queue = store.lock_queues([account.pk])[account.pk]
        queue.daily_limit = n
        queue.save(update_fields=["daily_limit"])


def _open_targets(post: Post) -> tuple[list[int], dict[int, AccountQueue], list[Delivery]]:
    queues = store.lock_queues(store.target_account_ids(post))
    store.lock_post(post)
    deliveries = store.targets(post)
    ids = sorted({d.account_id for d in deliveries})
    queues.update(store.lock_queues(set(ids) - set(queues)))
    store.require_open_queues(queues, ids)
    return ids, {i: queues[i] for i in ids}, deliveries


def _placed(
    placed: dict[Hashable, datetime | None], key: int, queues: dict[int, AccountQueue]
) -> datetime:
    instant = placed.get(key)
    if instant is None:
        handles = ", ".join(sorted(q.account.handle for q in queues.values()))
        raise ScheduleError(
            "no_free_slot",
            "accounts",
            _(
                "No free posting slot in the next %(days)s days for %(accounts)s. Add slots, "
                "raise the daily limit, or choose a time."
            ),
            {"days": HORIZON_DAYS, "accounts": handles},
        )
    return instant
