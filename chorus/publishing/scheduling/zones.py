"""Wall-clock time in an IANA zone ⇄ UTC instants.

``to_utc`` is strict, for times a person typed: a time the clocks skip (a DST gap) or
show twice (a DST overlap) is refused with an error that offers the fix, unless the
caller says which of two instants was meant (``fold``, as in PEP 495).

``wall_to_utc`` is lenient, for times a rule produces (recurrences, posting slots), where
there is nobody to ask. Its policy is the one most calendars use: a time in a gap moves
forward by the length of the gap (02:30 on a spring-forward night becomes 03:30), and a
time in an overlap means its first occurrence.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.utils.translation import gettext_lazy as _

from chorus.publishing.scheduling.errors import ScheduleError

LOCAL_FORMAT = "%Y-%m-%d %H:%M"
UTC_FORMAT = "%Y-%m-%d %H:%M UTC"


def zone_info(zone: str, *, field: str = "time_zone") -> ZoneInfo:
    """The zone named `zone`, or a ScheduleError naming `field`."""
    try:
        if not zone or "\x00" in zone:
            raise ValueError(zone)
        return ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise ScheduleError(
            "unknown_zone",
            field,
            _("“%(zone)s” is not a time zone we know. Choose one such as Europe/Berlin."),
            {"zone": zone[:64]},
        ) from None


def from_utc(instant: datetime, zone: str) -> datetime:
    """`instant` (aware) as an aware datetime on the wall clock of `zone`."""
    if instant.tzinfo is None:
        raise ValueError("from_utc needs an aware datetime")
    return instant.astimezone(zone_info(zone))


def wall_to_utc(local: datetime, zone: str | ZoneInfo) -> datetime:
    """Lenient conversion (see the module docstring for the gap and overlap policy)."""
    tz = zone if isinstance(zone, ZoneInfo) else zone_info(zone)
    # With fold=0 a gap time is read with the offset from before the change, which is
    # exactly "moved forward by the gap"; an overlap time gets its first instant.
    return _naive(local).replace(tzinfo=tz, fold=0).astimezone(UTC)


def day_bounds(day: date, zone: str | ZoneInfo) -> tuple[datetime, datetime]:
    """The UTC instants where the local calendar day `day` starts and the next one starts."""
    start = wall_to_utc(datetime.combine(day, time()), zone)
    end = wall_to_utc(datetime.combine(day + timedelta(days=1), time()), zone)
    return start, end


def to_utc(
    local: datetime, zone: str, *, fold: int | None = None, field: str = "scheduled_at"
) -> datetime:
    """The UTC instant of wall-clock `local` in `zone`, refusing gap and overlap times.

    `fold` picks the instant of a time shown twice: 0 the first (earlier) one, 1 the
    second. It is ignored for times that are not ambiguous.
    """
    if fold not in (None, 0, 1):
        raise ScheduleError("invalid_fold", "fold", _("Choose the first or the second time."))
    tz = zone_info(zone)
    naive = _naive(local)
    first = naive.replace(tzinfo=tz, fold=0).astimezone(UTC)
    second = naive.replace(tzinfo=tz, fold=1).astimezone(UTC)
    if first.astimezone(tz).replace(tzinfo=None) != naive:
        raise _gap_error(naive, zone, tz, second, first, field)
    if first == second:
        return first
    if fold is not None:
        return (first, second)[fold]
    raise ScheduleError(
        "ambiguous_time",
        field,
        _(
            "%(time)s happens twice in %(zone)s because the clocks go back: first at "
            "%(first)s, then again at %(second)s. Choose which one you mean."
        ),
        {
            "time": naive.strftime(LOCAL_FORMAT),
            "zone": zone,
            "first": first.strftime(UTC_FORMAT),
            "second": second.strftime(UTC_FORMAT),
        },
        {"candidates": [first.isoformat(), second.isoformat()]},
    )


def _gap_error(
    naive: datetime, zone: str, tz: ZoneInfo, low: datetime, high: datetime, field: str
) -> ScheduleError:
    # The change happened somewhere in (low, high]: the first instant read with the
    # later offset. Transitions fall on whole seconds, so a binary search is exact.
    after_offset = high.astimezone(tz).utcoffset()
    lo, hi = 0, int((high - low).total_seconds())
    while lo < hi:
        mid = (lo + hi) // 2
        if (low + timedelta(seconds=mid)).astimezone(tz).utcoffset() == after_offset:
            hi = mid
        else:
            lo = mid + 1
    change = low + timedelta(seconds=lo)
    gap_start = (change - timedelta(microseconds=1)).astimezone(tz).replace(tzinfo=None)
    gap_start += timedelta(microseconds=1)
    gap_end = change.astimezone(tz).replace(tzinfo=None)
    before = gap_start - timedelta(minutes=1)
    return ScheduleError(
        "nonexistent_time",
        field,
        _(
            "%(time)s does not exist in %(zone)s: the clocks jump from "
            "%(gap_start)s to %(gap_end)s. Choose %(before)s or %(after)s instead."
        ),
        {
            "time": naive.strftime(LOCAL_FORMAT),
            "zone": zone,
            "gap_start": gap_start.strftime("%H:%M"),
            "gap_end": gap_end.strftime("%H:%M"),
            "before": before.strftime(LOCAL_FORMAT),
            "after": gap_end.strftime(LOCAL_FORMAT),
        },
        {"suggestions": [before.isoformat(), gap_end.isoformat()]},
    )


def _naive(local: datetime) -> datetime:
    if local.tzinfo is not None:
        raise ValueError("a wall-clock time must be naive; its zone is given separately")
    return local
