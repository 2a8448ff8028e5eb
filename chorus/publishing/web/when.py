"""The "when" fields of the composer: a date, a time and a zone, read strictly.

A time the clocks skip (DST gap) comes back with the two nearest valid times to choose
from; a time they show twice (DST overlap) with a choice between its two instants (the
``fold`` of PEP 495). Both come from the scheduling service's own error details.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.utils import timezone
from django.utils.translation import gettext as _

from chorus.publishing.scheduling.errors import ScheduleError
from chorus.publishing.scheduling.exact import GRACE
from chorus.publishing.scheduling.zones import to_utc, zone_info
from chorus.publishing.web.draft import Draft

FIRST_YEAR, LAST_YEAR = 1970, 2999


@dataclass(frozen=True)
class When:
    local: datetime  # naive wall-clock time in `zone`
    zone: str
    fold: int | None


@dataclass
class Choice:
    value: str
    label: str
    checked: bool = False


@dataclass
class WhenHelp:
    """What the schedule section shows beside its fields."""

    suggestions: list[Choice] = field(default_factory=list)  # times outside a DST gap
    candidates: list[Choice] = field(default_factory=list)  # the two instants of an overlap
    instant: datetime | None = None  # the UTC instant meant, once it is clear


def read(draft: Draft, default_zone: str, *, required: bool) -> When | None:
    """The typed time, or None (with an error on the draft when it is needed or malformed)."""
    if not draft.date and not draft.time:
        if required:
            draft.error("schedule", _("Choose a date and a time."))
        return None
    try:
        day = date.fromisoformat(draft.date)
    except ValueError:
        draft.error("schedule", _("Enter the date as a date, such as 2030-06-01."))
        return None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        # Also keeps the zone arithmetic clear of the calendar's ends (year 1 and 9999).
        draft.error(
            "schedule",
            _("Enter a date between %(first)s and %(last)s.")
            % {"first": FIRST_YEAR, "last": LAST_YEAR},
        )
        return None
    try:
        at = time.fromisoformat(draft.time)
    except ValueError:
        draft.error("schedule", _("Enter the time as hours and minutes, such as 09:30."))
        return None
    zone = draft.time_zone or default_zone
    try:
        zone_info(zone)
    except ScheduleError as error:
        draft.error("time_zone", error.message)
        return None
    fold = int(draft.fold) if draft.fold in ("0", "1") else None
    return When(datetime.combine(day, at.replace(tzinfo=None)), zone, fold)


def explain(draft: Draft, when: When | None) -> WhenHelp:
    """Check `when` as scheduling will, adding its problem to the draft's "schedule" slot."""
    help_ = WhenHelp()
    if when is None:
        return help_
    try:
        help_.instant = to_utc(when.local, when.zone)
    except ScheduleError as error:
        if error.code == "ambiguous_time":
            _overlap(draft, when, error, help_)
        else:
            draft.error("schedule", error.message)
            if error.code == "nonexistent_time":
                help_.suggestions = [
                    Choice(value[:16], _("Use %(time)s") % {"time": value[:16].replace("T", " ")})
                    for value in error.details.get("suggestions", [])
                ]
    if help_.instant is not None and help_.instant < timezone.now() - GRACE:
        draft.error("schedule", _("This time is in the past. Choose a later time."))
    return help_


def _overlap(draft: Draft, when: When, error: ScheduleError, help_: WhenHelp) -> None:
    instants = [datetime.fromisoformat(v) for v in error.details.get("candidates", [])]
    labels = (
        _("The first %(time)s (%(zone)s, UTC%(offset)s), before the clocks go back"),
        _("The second %(time)s (%(zone)s, UTC%(offset)s), after the clocks go back"),
    )
    tz = zone_info(when.zone)
    for fold, (instant, label) in enumerate(zip(instants, labels, strict=False)):
        local = instant.astimezone(tz)
        offset = local.strftime("%z")
        help_.candidates.append(
            Choice(
                str(fold),
                label
                % {
                    "time": local.strftime("%H:%M"),
                    "zone": local.tzname() or when.zone,
                    "offset": f"{offset[:3]}:{offset[3:]}",
                },
                checked=when.fold == fold,
            )
        )
    if when.fold is None or when.fold >= len(instants):
        draft.error("schedule", error.message)
    else:
        help_.instant = instants[when.fold]
