"""Reading the calendar's query parameters: the range, the viewer's zone and the filters.

Every bad value becomes a FilterError naming the parameter, so the feed answers 400 with
a sentence a person can act on instead of failing somewhere deeper.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from django.db.models import Model, QuerySet
from django.http import QueryDict
from django.utils.translation import gettext as _

from chorus.orgs.models import SocialAccount, Workspace
from chorus.publishing.models import Campaign, PostState, Tag
from chorus.publishing.scheduling.errors import ScheduleError
from chorus.publishing.scheduling.zones import wall_to_utc, zone_info

# A month view spans six weeks; a little more leaves room for custom ranges, while
# keeping one request from asking for years of posts.
MAX_RANGE = timedelta(days=100)
# Larger ids cannot exist and would overflow PostgreSQL's bigint.
MAX_ID_DIGITS = 18

# Any instant between these has a wall time in every zone (offsets stay within a day).
EARLIEST = datetime(2, 1, 1, tzinfo=UTC)
LATEST = datetime(9999, 1, 1, tzinfo=UTC)

M = TypeVar("M", bound=Model)


class FilterError(Exception):
    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")

    def as_body(self) -> dict[str, Any]:
        return {"detail": self.message, "errors": {self.field: [self.message]}}


@dataclass(frozen=True)
class Filters:
    account: SocialAccount | None = None
    campaign: Campaign | None = None
    tag: Tag | None = None
    states: tuple[str, ...] = ()

    def as_params(self) -> dict[str, Any]:
        """The filters as query parameters (for links and the feed)."""
        return {
            "account": self.account.pk if self.account else "",
            "campaign": self.campaign.pk if self.campaign else "",
            "tag": self.tag.pk if self.tag else "",
            "state": list(self.states),
        }


def viewer_zone(params: QueryDict, default: str) -> ZoneInfo:
    """The zone the calendar shows wall times in: FullCalendar names it in `timeZone`
    (the page sets it to the person's own zone); without it, the person's zone."""
    name = params.get("timeZone", "").strip() or default or "UTC"
    try:
        return zone_info(name, field="timeZone")
    except ScheduleError as error:
        raise FilterError("timeZone", error.message) from None


def parse_range(params: QueryDict, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """`start` and `end` as UTC instants. Without an offset they are wall times in `zone`
    (what FullCalendar sends for a named zone); with one, the offset is honoured."""
    start = _instant(params, "start", zone)
    end = _instant(params, "end", zone)
    if start < EARLIEST or end > LATEST:
        # Beyond these, a wall time in some zone would fall outside the years Python has.
        raise FilterError(
            "start" if start < EARLIEST else "end", _("Choose a range closer to today.")
        )
    if end <= start:
        raise FilterError("end", _("The end of the range must come after its start."))
    if end - start > MAX_RANGE:
        raise FilterError(
            "end",
            _("Ask for at most %(days)d days at a time.") % {"days": MAX_RANGE.days},
        )
    return start, end


def parse_filters(params: QueryDict, workspace: Workspace) -> Filters:
    return Filters(
        account=_one(
            params,
            "account",
            SocialAccount.objects.filter(workspace=workspace),
            _("There is no such account in this workspace."),
        ),
        campaign=_one(
            params,
            "campaign",
            Campaign.objects.filter(workspace=workspace),
            _("There is no such campaign in this workspace."),
        ),
        tag=_one(
            params,
            "tag",
            Tag.objects.filter(workspace=workspace),
            _("There is no such tag in this workspace."),
        ),
        states=_states(params),
    )


def _instant(params: QueryDict, name: str, zone: ZoneInfo) -> datetime:
    raw = params.get(name, "").strip()
    if not raw:
        raise FilterError(name, _("This parameter is required."))
    try:
        value = datetime.fromisoformat(raw)
        if value.tzinfo is None:
            # Lenient on purpose: a range boundary in a DST gap is still a boundary.
            return wall_to_utc(value, zone)
        return value.astimezone(UTC)
    except (ValueError, OverflowError):
        raise FilterError(
            name,
            _("Enter a date or date and time in ISO 8601 form, such as 2030-01-31T00:00:00."),
        ) from None


def _one(params: QueryDict, name: str, rows: QuerySet[M], missing: str) -> M | None:
    raw = params.get(name, "").strip()
    if not raw:
        return None
    if not (raw.isascii() and raw.isdigit()):
        raise FilterError(name, _("Enter the id as a whole number."))
    found = rows.filter(pk=int(raw)).first() if len(raw) <= MAX_ID_DIGITS else None
    if found is None:
        raise FilterError(name, missing)
    return found


def _states(params: QueryDict) -> tuple[str, ...]:
    # Repeated (?state=a&state=b) or comma-separated (?state=a,b); blanks are ignored.
    values = [v.strip() for raw in params.getlist("state") for v in raw.split(",") if v.strip()]
    known = set(PostState.values)
    for value in values:
        if value not in known:
            raise FilterError(
                "state",
                _("“%(value)s” is not a post state. Choose from: %(choices)s.")
                % {"value": value[:40], "choices": ", ".join(PostState.values)},
            )
    return tuple(dict.fromkeys(values))
