"""A drop on the calendar, turned into a reschedule in the post's own zone.

The browser speaks the viewer's wall clock (see events.py); the post keeps the zone it
was scheduled in. Two kinds of drop:

- onto another day (month view, or a whole-day move in week view): `date` is the new day
  on the viewer's calendar. The post moves by the same number of days in its own zone at
  the same wall-clock time there, so 09:00 in Berlin stays 09:00 in Berlin across a DST
  change even when the viewer is in New York (``reschedule_keeping_time``).
- onto another time (week view): `local` is the new wall time on the viewer's clock. It
  is converted to an instant, then to the post's zone, and scheduled there
  (``schedule_at``), so the post's zone is kept.

`fold` (0 or 1) picks between the two instants of a wall time the clocks show twice: the
viewer's for `local`, the post's for `date`. Without it such a time is refused with both
candidates, and the page asks which one was meant.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.http import QueryDict
from django.utils.translation import gettext as _

from chorus.publishing.calendar.events import MOVABLE
from chorus.publishing.calendar.filters import FilterError, viewer_zone
from chorus.publishing.models import Post, PostState
from chorus.publishing.scheduling import exact
from chorus.publishing.scheduling.errors import ScheduleError
from chorus.publishing.scheduling.zones import from_utc, to_utc


class NotMovable(Exception):
    """The post is in a state a drag cannot reschedule (in review, published, ...)."""

    def __init__(self, post: Post) -> None:
        super().__init__(
            _("A post that is %(state)s cannot be moved on the calendar.")
            % {"state": str(PostState(post.state).label).lower()}
        )


@dataclass(frozen=True)
class Drop:
    zone: ZoneInfo
    day: date | None = None
    local: datetime | None = None
    fold: int | None = None


def parse_drop(data: QueryDict, default_zone: str) -> Drop:
    zone = viewer_zone(data, default_zone)
    raw_day = data.get("date", "").strip()
    raw_local = data.get("local", "").strip()
    if bool(raw_day) == bool(raw_local):
        raise FilterError(
            "date", _("Send either the new day (date) or the new date and time (local).")
        )
    fold = _fold(data.get("fold", "").strip())
    if raw_day:
        try:
            return Drop(zone=zone, day=date.fromisoformat(raw_day), fold=fold)
        except ValueError:
            raise FilterError("date", _("Enter the day as YYYY-MM-DD.")) from None
    try:
        local = datetime.fromisoformat(raw_local)
    except ValueError:
        raise FilterError("local", _("Enter the date and time as YYYY-MM-DDTHH:MM.")) from None
    if local.tzinfo is not None:
        raise FilterError(
            "local", _("Send the wall-clock time without an offset; timeZone names its zone.")
        )
    return Drop(zone=zone, local=local, fold=fold)


def apply_drop(post: Post, drop: Drop, *, now: datetime | None = None) -> None:
    """Reschedule `post` as dropped, or raise NotMovable, ScheduleError or TransitionError
    (nothing is changed then)."""
    if post.state not in MOVABLE:
        raise NotMovable(post)
    field = "date" if drop.day is not None else "local"
    try:
        if drop.day is not None:
            _to_day(post, drop.day, drop, now)
        elif drop.local is not None:
            instant = to_utc(drop.local, str(drop.zone), fold=drop.fold, field="local")
            own = from_utc(instant, post.time_zone)
            exact.schedule_at(
                post, own.replace(tzinfo=None), post.time_zone, fold=own.fold, now=now
            )
    except OverflowError:
        # Year 1 or 9999 on one side of UTC: no instant a post could go out at.
        raise ScheduleError("out_of_range", field, _("Choose a day closer to today.")) from None


def _to_day(post: Post, day: date, drop: Drop, now: datetime | None) -> None:
    if post.scheduled_at is None:
        raise ScheduleError(
            "not_scheduled", "date", _("This post has no time yet; open it to choose one.")
        )
    # The same number of days as on the viewer's calendar, counted in the post's zone.
    shown_on = post.scheduled_at.astimezone(drop.zone).date()
    own_day = from_utc(post.scheduled_at, post.time_zone).date()
    exact.reschedule_keeping_time(post, own_day + (day - shown_on), fold=drop.fold, now=now)


def _fold(raw: str) -> int | None:
    if not raw:
        return None
    if raw not in ("0", "1"):
        raise FilterError("fold", _("Choose 0 for the first time or 1 for the second."))
    return int(raw)
