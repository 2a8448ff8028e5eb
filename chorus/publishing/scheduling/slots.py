"""Posting slots: the weekly times an account's queued posts go out. Pure functions.

A slot is a weekday (0 = Monday) and a wall-clock time in the workspace's zone. It
resolves to a UTC instant per date with ``wall_to_utc``, so a 09:00 slot stays 09:00
local across DST changes; a slot inside a DST gap moves forward by the gap. Daily limits
count posts per *local* calendar day of that zone. A paused queue offers no slots.

A post aimed at several accounts needs one instant that is a slot of every account and
free in each (``common_free_slots``); its deliveries then go out together.

``reslot`` is the queue operation behind "share next" and resuming a queue, as in
Buffer: items are placed in queue order, each at the earliest free common slot no
earlier than the time it already had, so a post put in front pushes the ones behind it
back one slot at a time until a free slot absorbs the push, and nothing moves earlier.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from chorus.publishing.scheduling.zones import wall_to_utc, zone_info

# How far ahead a free slot is looked for before the queue counts as full.
HORIZON_DAYS = 400

Slot = tuple[int, time]


@dataclass(frozen=True)
class AccountPlan:
    """One account's queue as the slot arithmetic sees it."""

    slots: Sequence[Slot]
    # Instants already used on this account (any scheduled or published delivery);
    # they fill slots and count toward the daily limit of their local day.
    taken: Iterable[datetime] = ()
    daily_limit: int | None = None
    paused: bool = False


@dataclass(frozen=True)
class QueueItem:
    key: Hashable
    accounts: tuple[Hashable, ...]
    # The item is not placed before this instant (its current time, when re-slotting).
    not_before: datetime | None = None


def slot_instants(
    slots: Iterable[Slot], zone: str, after: datetime, *, days: int = 7
) -> list[datetime]:
    """Every slot instant (UTC) strictly after `after`, over the next `days` local days."""
    tz = zone_info(zone)
    by_day = _by_weekday(slots)
    first = after.astimezone(tz).date()
    found: list[datetime] = []
    for offset in range(days + 1):
        found.extend(
            t for t in _instants_on(by_day, first + timedelta(days=offset), tz) if t > after
        )
    return found


def free_slots(plan: AccountPlan, zone: str, start: datetime, count: int = 1) -> list[datetime]:
    """The next `count` free slot instants of one account, strictly after `start`."""
    return common_free_slots([plan], zone, start, count)


def common_free_slots(
    plans: Sequence[AccountPlan],
    zone: str,
    start: datetime,
    count: int = 1,
    *,
    not_before: datetime | None = None,
) -> list[datetime]:
    """The next `count` instants that are a free slot of every plan, strictly after `start`.

    Fewer are returned when the horizon runs out (no slots, paused, limits reached).
    """
    board = _Board(dict(enumerate(plans)), zone_info(zone))
    keys = tuple(range(len(plans)))
    found: list[datetime] = []
    while len(found) < count:
        instant = board.first_free(keys, start, not_before)
        if instant is None:
            break
        board.take(keys, instant)
        found.append(instant)
    return found


def reslot(
    items: Sequence[QueueItem], plans: Mapping[Any, AccountPlan], zone: str, start: datetime
) -> dict[Any, datetime | None]:
    """Place `items` in order (see the module docstring); None where no slot was found.

    `plans` must not count the items' own current instants as taken.
    """
    board = _Board(dict(plans), zone_info(zone))
    placed: dict[Any, datetime | None] = {}
    for item in items:
        instant = board.first_free(item.accounts, start, item.not_before)
        placed[item.key] = instant
        if instant is not None:
            board.take(item.accounts, instant)
    return placed


@dataclass
class _Account:
    by_day: dict[int, list[time]]
    taken: set[datetime]
    per_day: Counter[date]
    limit: int | None
    paused: bool
    cache: dict[date, frozenset[datetime]] = field(default_factory=dict)


class _Board:
    def __init__(self, plans: Mapping[Any, AccountPlan], tz: ZoneInfo) -> None:
        self.tz = tz
        self.accounts: dict[Hashable, _Account] = {}
        for key, plan in plans.items():
            taken = {t.astimezone(UTC) for t in plan.taken}
            self.accounts[key] = _Account(
                by_day=_by_weekday(plan.slots),
                taken=taken,
                per_day=Counter(self._day(t) for t in taken),
                limit=plan.daily_limit,
                paused=plan.paused,
            )

    def first_free(
        self, keys: tuple[Hashable, ...], after: datetime, not_before: datetime | None
    ) -> datetime | None:
        accounts = [self.accounts[k] for k in keys]
        if not accounts or any(a.paused or not a.by_day for a in accounts):
            return None
        floor = max(after, not_before) if not_before is not None else after
        first = floor.astimezone(self.tz).date()
        for day in (first + timedelta(days=n) for n in range(HORIZON_DAYS + 1)):
            common = frozenset.intersection(*(self._slots_on(a, day) for a in accounts))
            for instant in sorted(common):
                if instant <= after or (not_before is not None and instant < not_before):
                    continue
                if all(self._is_free(a, instant) for a in accounts):
                    return instant
        return None

    def take(self, keys: Iterable[Hashable], instant: datetime) -> None:
        for key in keys:
            account = self.accounts[key]
            if instant not in account.taken:
                account.taken.add(instant)
                account.per_day[self._day(instant)] += 1

    def _is_free(self, account: _Account, instant: datetime) -> bool:
        if instant in account.taken:
            return False
        return account.limit is None or account.per_day[self._day(instant)] < account.limit

    def _slots_on(self, account: _Account, day: date) -> frozenset[datetime]:
        if day not in account.cache:
            account.cache[day] = frozenset(_instants_on(account.by_day, day, self.tz))
        return account.cache[day]

    def _day(self, instant: datetime) -> date:
        return instant.astimezone(self.tz).date()


def _by_weekday(slots: Iterable[Slot]) -> dict[int, list[time]]:
    by_day: dict[int, list[time]] = {}
    for weekday, at in slots:
        by_day.setdefault(weekday, []).append(at.replace(tzinfo=None))
    return {day: sorted(set(times)) for day, times in by_day.items()}


def _instants_on(by_day: Mapping[int, list[time]], day: date, tz: ZoneInfo) -> Iterator[datetime]:
    seen: set[datetime] = set()
    for at in by_day.get(day.weekday(), ()):
        instant = wall_to_utc(datetime.combine(day, at), tz)
        # A slot in a DST gap moves forward and can land on the next slot: one instant.
        if instant not in seen:
            seen.add(instant)
            yield instant
