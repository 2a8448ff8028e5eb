"""Repeating posts: RFC 5545 RRULEs read in the author's wall-clock time.

A rule is expanded in naive local time (python-dateutil's rrule) and each occurrence is
then converted with ``wall_to_utc``, so "daily at 09:00" stays 09:00 local on both sides
of a DST change while its UTC instant moves. Occurrences that land in a gap move forward
by the gap; in an overlap they take the first instant (see ``zones``).

UNTIL may be written three ways: ``UNTIL=20271231`` (through the end of that local day;
what ``simple_rule`` writes), ``UNTIL=20271231T170000`` (local wall time) or
``UNTIL=20271231T160000Z`` (a UTC instant, as RFC 5545 asks when DTSTART has a zone). It
is applied to the UTC instants, so it is exact across DST changes.

Only FREQ=DAILY and coarser are accepted: an hourly or per-minute post is a flood, not a
schedule.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from dateutil.rrule import rrule as RRule
from dateutil.rrule import rrulestr
from django.utils.translation import gettext_lazy as _

from chorus.publishing.scheduling.errors import ScheduleError
from chorus.publishing.scheduling.zones import wall_to_utc, zone_info

FIELD = "recurrence"
PARTS = frozenset(
    {
        "FREQ",
        "UNTIL",
        "COUNT",
        "INTERVAL",
        "BYSECOND",
        "BYMINUTE",
        "BYHOUR",
        "BYDAY",
        "BYMONTHDAY",
        "BYYEARDAY",
        "BYWEEKNO",
        "BYMONTH",
        "BYSETPOS",
        "WKST",
    }
)
FREQUENCIES = frozenset({"DAILY", "WEEKLY", "MONTHLY", "YEARLY"})
TOO_FREQUENT = frozenset({"HOURLY", "MINUTELY", "SECONDLY"})
SIMPLE_FREQUENCIES = ("daily", "weekly", "monthly")
WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
MAX_INTERVAL = 999
MAX_COUNT = 9999
# Occurrences looked at before the first one wanted: enough for any offset or gap shift.
MARGIN = timedelta(days=2)


@dataclass(frozen=True)
class _Rule:
    body: str  # the RRULE without UNTIL, which is applied to UTC instants instead
    until: str  # "", "YYYYMMDD", "YYYYMMDDTHHMMSS" or "YYYYMMDDTHHMMSSZ"

    def expand(self, start_local: datetime) -> RRule:
        return rrulestr(self.body, dtstart=start_local.replace(microsecond=0), ignoretz=True)

    def until_utc(self, tz: ZoneInfo) -> datetime | None:
        """The last instant allowed (inclusive), or None."""
        if not self.until:
            return None
        if len(self.until) == 8:
            day = datetime.strptime(self.until, "%Y%m%d")
            return wall_to_utc(day + timedelta(days=1), tz) - timedelta(microseconds=1)
        if self.until.endswith("Z"):
            return datetime.strptime(self.until, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
        return wall_to_utc(datetime.strptime(self.until, "%Y%m%dT%H%M%S"), tz)


def validate(rule: str, start_local: datetime, zone: str) -> None:
    """Raise ScheduleError (field "recurrence") unless `rule` can repeat from `start_local`."""
    zone_info(zone)
    _check_repeats(rule, start_local)


def next_occurrence(
    rule: str, start_local: datetime, zone: str, after_utc: datetime
) -> datetime | None:
    """The first occurrence strictly after `after_utc`, in UTC; None once the rule ends."""
    return next(_instants(rule, start_local, zone, after_utc, strict=True), None)


def occurrences(
    rule: str,
    start_local: datetime,
    zone: str,
    between: tuple[datetime, datetime],
    *,
    limit: int = 1000,
) -> list[datetime]:
    """Occurrences (UTC) from `between[0]` inclusive to `between[1]` exclusive, at most `limit`."""
    low, high = between
    found: list[datetime] = []
    for instant in _instants(rule, start_local, zone, low, strict=False):
        if instant >= high or len(found) >= limit:
            break
        found.append(instant)
    return found


def simple_rule(
    freq: str,
    interval: int = 1,
    weekdays: Iterable[int] = (),
    *,
    until: date | None = None,
    count: int | None = None,
) -> str:
    """The RRULE for the composer's simple choices (weekdays: 0 = Monday)."""
    if freq not in SIMPLE_FREQUENCIES:
        raise ScheduleError("invalid_freq", "freq", _("Choose daily, weekly or monthly."))
    if not _whole(interval, 1, MAX_INTERVAL):
        raise ScheduleError(
            "invalid_interval",
            "interval",
            _("Enter a whole number from 1 to %(max)s."),
            {"max": MAX_INTERVAL},
        )
    days = sorted(set(weekdays))
    if days and (freq == "monthly" or not all(_whole(d, 0, 6) for d in days)):
        raise ScheduleError(
            "invalid_weekdays",
            "weekdays",
            _("Weekdays can be chosen for daily and weekly repeats only, Monday to Sunday."),
        )
    if until is not None and count is not None:
        raise ScheduleError(
            "until_and_count", "count", _("Choose an end date or a number of times, not both.")
        )
    if count is not None and not _whole(count, 1, MAX_COUNT):
        raise ScheduleError(
            "invalid_count",
            "count",
            _("Enter a whole number from 1 to %(max)s."),
            {"max": MAX_COUNT},
        )
    parts = [f"FREQ={freq.upper()}"]
    if interval != 1:
        parts.append(f"INTERVAL={interval}")
    if days:
        parts.append("BYDAY=" + ",".join(WEEKDAY_CODES[d] for d in days))
    if until is not None:
        parts.append(f"UNTIL={until:%Y%m%d}")
    if count is not None:
        parts.append(f"COUNT={count}")
    return ";".join(parts)


def _instants(
    rule: str, start_local: datetime, zone: str, after_utc: datetime, *, strict: bool
) -> Iterator[datetime]:
    parsed = _check_repeats(rule, start_local)
    tz = zone_info(zone)
    last = parsed.until_utc(tz)
    floor = after_utc.astimezone(tz).replace(tzinfo=None) - MARGIN
    previous: datetime | None = None
    for local in parsed.expand(start_local).xafter(floor, inc=True):
        instant = wall_to_utc(local, tz)
        if last is not None and instant > last:
            return
        # Two wall times can meet on one instant when a gap pushes one onto the other.
        if instant == previous or instant < after_utc or (strict and instant == after_utc):
            continue
        previous = instant
        yield instant


def _check_repeats(rule: str, start_local: datetime) -> _Rule:
    parsed = _parse(rule)
    if not _can_repeat(rule, start_local.replace(year=2000)):
        raise ScheduleError("never_repeats", FIELD, _("This repeat rule never produces a date."))
    return parsed


@functools.lru_cache(maxsize=256)
def _can_repeat(rule: str, start_in_2000: datetime) -> bool:
    # A rule that can never match (the 30th of February) would make dateutil walk day by
    # day to the year 9999 before giving up; trying it from a date near that year answers
    # in milliseconds, and whether a rule matches at all does not depend on the year.
    # (2000 and 9952 are both leap years, so the 29th of February is kept.)
    probe = start_in_2000.replace(year=9952)
    return next(iter(_parse(rule).expand(probe)), None) is not None


@functools.lru_cache(maxsize=256)
def _parse(rule: str) -> _Rule:
    text = rule.strip()
    if text.upper().startswith("RRULE:"):
        text = text[6:]
    pairs: dict[str, str] = {}
    for chunk in text.split(";"):
        name, sep, value = chunk.partition("=")
        name, value = name.strip().upper(), value.strip().upper()
        if not sep or not value or name not in PARTS or name in pairs:
            raise _invalid(rule)
        pairs[name] = value
    freq = pairs.get("FREQ", "")
    if freq in TOO_FREQUENT:
        raise ScheduleError(
            "too_frequent", FIELD, _("A post can repeat at most daily, not hourly or more often.")
        )
    if freq not in FREQUENCIES:
        raise _invalid(rule)
    if "UNTIL" in pairs and "COUNT" in pairs:
        raise ScheduleError(
            "until_and_count", FIELD, _("A repeat rule has an end date or a count, not both.")
        )
    if "COUNT" in pairs and not (
        pairs["COUNT"].isdigit() and 1 <= int(pairs["COUNT"]) <= MAX_COUNT
    ):
        raise _invalid(rule)
    if "INTERVAL" in pairs and not (
        pairs["INTERVAL"].isdigit() and 1 <= int(pairs["INTERVAL"]) <= MAX_INTERVAL
    ):
        raise _invalid(rule)
    until = pairs.pop("UNTIL", "")
    if until and not _until_ok(until):
        raise _invalid(rule)
    # RFC 5545 weeks start on Monday unless WKST says otherwise; dateutil's default is a
    # process-wide setting of the calendar module, so it is never left to chance.
    pairs.setdefault("WKST", "MO")
    parsed = _Rule(";".join(f"{k}={v}" for k, v in pairs.items()), until)
    try:
        parsed.expand(datetime(2000, 1, 1))
    except (ValueError, KeyError, TypeError, IndexError, OverflowError):
        raise _invalid(rule) from None
    return parsed


def _until_ok(value: str) -> bool:
    if not re.fullmatch(r"\d{8}(T\d{6}Z?)?", value):
        return False
    pattern = {8: "%Y%m%d", 15: "%Y%m%dT%H%M%S", 16: "%Y%m%dT%H%M%SZ"}[len(value)]
    try:
        parsed = datetime.strptime(value, pattern)
    except ValueError:
        return False
    return parsed.year < 9900  # room for the day after, in any zone


def _invalid(rule: str) -> ScheduleError:
    return ScheduleError(
        "invalid_recurrence",
        FIELD,
        _(
            "“%(rule)s” is not a repeat rule we can read "
            "(an RFC 5545 RRULE such as FREQ=WEEKLY;BYDAY=MO)."
        ),
        {"rule": rule[:200]},
    )


def _whole(value: object, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high
