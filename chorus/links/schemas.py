"""API shapes of UTM presets, short links and their clicks."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from ninja import Field, Schema
from pydantic import ConfigDict

from chorus.api.schemas.common import MAX_ID, NoNul, limits
from chorus.links.models import ShortLink
from chorus.links.shortlinks import public_url
from chorus.links.utm import MAX_TEMPLATE_LENGTH, PLACEHOLDERS

_PLACEHOLDER_LIST = ", ".join(f"{{{name}}}" for name in PLACEHOLDERS)
Name = Annotated[str, limits(120, 1), NoNul]
Template = Annotated[
    str,
    limits(
        MAX_TEMPLATE_LENGTH,
        0,
        f"Text with placeholders {_PLACEHOLDER_LIST}; write {{{{ or }}}} for a literal brace.",
    ),
    NoNul,
]
CampaignId = Annotated[
    int | None,
    Field(
        ge=1,
        le=MAX_ID,
        description="The campaign whose posts use this preset instead of the default; "
        "null for a workspace preset.",
    ),
]


class UtmPresetOut(Schema):
    id: int
    workspace_id: int
    campaign_id: int | None = Field(description="Set for a campaign's own preset.")
    name: str
    utm_source: str
    utm_medium: str
    utm_campaign: str
    utm_term: str
    utm_content: str
    is_default: bool = Field(description="Used for posts whose campaign has no preset.")
    created_at: dt.datetime
    updated_at: dt.datetime


class UtmPresetIn(Schema):
    model_config = ConfigDict(extra="forbid")

    name: Name
    campaign_id: CampaignId = None
    utm_source: Template = Field(description="Required: where visits come from.")
    utm_medium: Template = ""
    utm_campaign: Template = ""
    utm_term: Template = ""
    utm_content: Template = ""
    is_default: bool = Field(
        default=False,
        description="Make this the workspace default (the current default stops being it).",
    )


class UtmPresetPatch(Schema):
    """Only the fields sent change. `campaign_id: null` turns a campaign's preset into a
    workspace preset; null in any other field leaves it as it is."""

    model_config = ConfigDict(extra="forbid")

    name: Name | None = None
    campaign_id: CampaignId = None
    utm_source: Template | None = None
    utm_medium: Template | None = None
    utm_campaign: Template | None = None
    utm_term: Template | None = None
    utm_content: Template | None = None
    is_default: bool | None = None


class ShortLinkOut(Schema):
    id: int
    code: str
    short_url: str = Field(description="The address put in posts; it redirects to target_url.")
    target_url: str = Field(description="Where the link leads, UTM parameters included.")
    workspace_id: int
    post_id: int | None = Field(description="Empty when the post was deleted.")
    network: str
    click_count: int = Field(description="Clicks by people; bots and link previews excluded.")
    last_clicked_at: dt.datetime | None
    created_at: dt.datetime

    @staticmethod
    def resolve_short_url(link: ShortLink) -> str:
        return public_url(link)


class DailyClicksOut(Schema):
    date: dt.date = Field(description="A day in the workspace's time zone.")
    clicks: int


class LinkClicksOut(Schema):
    link_id: int
    time_zone: str = Field(description="The workspace's time zone, in which days are counted.")
    total: int = Field(description="Clicks on the days listed.")
    days: list[DailyClicksOut] = Field(
        description="Oldest first; days without clicks are left out."
    )
