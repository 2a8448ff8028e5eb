"""Request and response shapes of the publishing API."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any

from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import AfterValidator

from chorus.api.schemas.common import MAX_ID, NO_NUL_PATTERN, limits
from chorus.publishing.models import PostState

Id = Field(ge=1, le=MAX_ID)
IdItem = Annotated[int, Field(ge=1, le=MAX_ID)]
PartText = Annotated[str, Field(max_length=100_000, pattern=NO_NUL_PATTERN)]
TagName = Annotated[str, Field(min_length=1, max_length=60, pattern=NO_NUL_PATTERN)]


class VariantIn(Schema):
    network: str = limits(30, 1, "The network this variant is for: x, bluesky, mastodon, …")
    text: str = limits(100_000, description="Replaces the base text on this network.", default="")
    link: str = limits(2000, default="")
    first_comment: str = limits(10_000, default="")
    thread: list[PartText] = Field(
        default_factory=list, max_length=100, description="Replies after the first part."
    )
    options: Annotated[dict[str, Any], AfterValidator(_checked_options)] = Field(
        default_factory=dict,
        description="Network options: visibility, spoiler_text (content warning), title, "
        "language, …",
    )


def _checked_options(value: dict[str, Any]) -> dict[str, Any]:
    """Options are a few short scalar settings; anything else is a mistake."""
    if len(value) > 20:
        raise ValueError(_("At most 20 options."))
    for key, item in value.items():
        if not 0 < len(key) <= 40 or "\x00" in key:
            raise ValueError(_("Option names are 1 to 40 characters long."))
        if item is not None and not isinstance(item, str | bool | int | float):
            raise ValueError(
                _("Option “%(name)s” must be text, a number or true/false.") % {"name": key}
            )
        if isinstance(item, str) and (len(item) > 5000 or "\x00" in item):
            raise ValueError(
                _("Option “%(name)s” is too long or holds a NUL character.") % {"name": key}
            )
    return value


FocusValue = Annotated[float, Field(ge=-1.0, le=1.0, allow_inf_nan=False)]


class FocusIn(Schema):
    """A focal point as Mastodon takes it: the centre is (0, 0)."""

    x: FocusValue = Field(description="-1 is the left edge, 1 the right edge.")
    y: FocusValue = Field(description="-1 is the bottom edge, 1 the top edge.")


class MediaIn(Schema):
    asset_id: int = Id
    alt_text: str = limits(5000, default="")
    network: str = limits(30, description="Blank: every network.", default="")
    focus: FocusIn | None = Field(
        default=None,
        description="Where the subject is, so networks that crop previews (Mastodon) keep it "
        "in view. Null: the centre.",
    )


class LinkMode(StrEnum):
    SHORTEN = "shorten"
    UTM_ONLY = "utm_only"
    KEEP = "keep"


class PostIn(Schema):
    text: str = limits(
        100_000, description="The base text, used where no variant replaces it.", default=""
    )
    link: str = limits(2000, default="")
    first_comment: str = limits(10_000, default="")
    account_ids: list[IdItem] = Field(default_factory=list, max_length=200)
    variants: list[VariantIn] = Field(default_factory=list, max_length=20)
    media: list[MediaIn] = Field(default_factory=list, max_length=40)
    campaign_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    tags: list[TagName] = Field(default_factory=list, max_length=30)
    evergreen: bool = False
    recurrence: str = limits(
        200, description="RFC 5545 RRULE, read in the post's zone.", default=""
    )
    link_mode: LinkMode = Field(
        default=LinkMode.SHORTEN,
        description="shorten: UTM tags and a counting short link; utm_only: UTM tags; "
        "keep: links as written.",
    )


class PostPatch(PostIn):
    version: int | None = Field(
        default=None, ge=1, description="The version you edited; a newer save is not lost."
    )


class ProblemOut(Schema):
    field: str
    code: str
    message: str
    network: str = ""
    start: int | None = None
    end: int | None = None


class CounterOut(Schema):
    network: str
    field: str
    count: int
    limit: int
    unit: str


class ValidationOut(Schema):
    ok: bool
    problems: list[ProblemOut]
    counters: list[CounterOut]


class DeliveryOut(Schema):
    id: int
    account_id: int
    account: str
    network: str
    state: str
    scheduled_for: datetime | None
    due_at: datetime | None
    attempts: int
    remote_id: str
    remote_url: str
    last_error: str
    last_error_code: str
    published_at: datetime | None


class AttemptOut(Schema):
    number: int
    worker: str
    started_at: datetime
    finished_at: datetime | None
    outcome: str
    status_code: int | None
    error_code: str
    message: str
    retry_at: datetime | None


class DeliveryLogOut(DeliveryOut):
    log: list[AttemptOut]


class PostOut(Schema):
    id: int
    workspace_id: int
    state: PostState
    text: str
    link: str
    first_comment: str
    campaign_id: int | None
    tags: list[str]
    account_ids: list[int]
    variants: list[VariantIn]
    media: list[MediaIn]
    scheduled_at: datetime | None
    time_zone: str
    local_time: str | None = Field(description="scheduled_at as wall time in time_zone.")
    queued: bool
    evergreen: bool
    recurrence: str
    link_mode: str
    version: int
    created_at: datetime
    updated_at: datetime
    published_at: datetime | None
    deliveries: list[DeliveryOut]


class RevisionOut(Schema):
    version: int
    author: str | None
    created_at: datetime
    content: dict[str, Any]


class ScheduleIn(Schema):
    local_time: datetime = Field(
        description="Wall-clock time in time_zone, without an offset (2027-03-14T09:00). "
        "With an offset it is taken as an instant."
    )
    time_zone: str = limits(64, 1, "IANA zone the time is meant in, e.g. Europe/Berlin.")
    fold: int | None = Field(
        default=None,
        ge=0,
        le=1,
        description="For a time the clocks show twice: 0 the first, 1 the second.",
    )


class QueueMode(StrEnum):
    LAST = "last"
    NEXT = "next"


class QueueIn(Schema):
    mode: QueueMode = QueueMode.LAST


class MoveIn(Schema):
    date: str = Field(pattern=r"^\d{4}-\d{2}-\d{2}$", description="New local date, YYYY-MM-DD.")
    fold: int | None = Field(default=None, ge=0, le=1)


class SlotIn(Schema):
    weekday: int = Field(ge=0, le=6, description="0 is Monday.")
    time: str = Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$", description="HH:MM, local.")


class QueueSettingsIn(Schema):
    paused: bool = False
    daily_limit: int | None = Field(default=None, ge=1, le=1000)
    slots: list[SlotIn] = Field(default_factory=list, max_length=200)


class QueueSettingsOut(Schema):
    account_id: int
    paused: bool
    daily_limit: int | None
    throttled_until: datetime | None
    time_zone: str
    slots: list[SlotIn]
    upcoming: list[datetime]


class CampaignIn(Schema):
    name: str = limits(120, 1)
    utm_campaign: str = limits(120, default="")
    color: str = Field(default="#3b6fd8", pattern=r"^#[0-9a-fA-F]{6}$")


class CampaignOut(Schema):
    id: int
    name: str
    utm_campaign: str
    color: str
