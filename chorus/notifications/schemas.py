"""API shapes of notification targets. The URL goes in, never out: answers carry only
its scheme, since the rest can hold tokens and passwords."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from django.conf import settings
from ninja import Field, Schema
from pydantic import ConfigDict

from chorus.api.schemas.common import NoNul, limits
from chorus.notifications.models import Event, NotificationTarget
from chorus.notifications.validation import MAX_NAME_LENGTH, MAX_URL_LENGTH, service_name

# Checked by the service (chorus.notifications.validation); listed here for clients.
Language = Annotated[
    str,
    Field(
        description="Language of the messages.",
        json_schema_extra={"enum": [code for code, _name in settings.LANGUAGES]},
    ),
]
Name = Annotated[str, limits(MAX_NAME_LENGTH, 1), NoNul]
AppriseUrl = Annotated[
    str,
    limits(
        MAX_URL_LENGTH,
        1,
        "An Apprise URL, such as slack://TokenA/TokenB/TokenC or "
        "mailtos://user:password@example.com. Stored encrypted; never shown again.",
    ),
    NoNul,
]
Events = Annotated[
    list[Event],
    Field(min_length=1, max_length=len(Event), description="What to be notified of."),
]


class TargetOut(Schema):
    id: int
    workspace_id: int
    name: str
    service: str = Field(description="The kind of service, as Apprise names it (Slack, E-Mail…).")
    url_masked: str = Field(description="The URL's scheme only; the rest stays secret.")
    events: list[Event]
    enabled: bool
    language: str = Field(description="Language of the messages.")
    created_at: datetime
    last_sent_at: datetime | None = Field(description="Last time a message was accepted.")
    last_error: str = Field(description="Why the last message failed, if it did.")

    @staticmethod
    def resolve_service(target: NotificationTarget) -> str:
        return service_name(target.url)

    @staticmethod
    def resolve_url_masked(target: NotificationTarget) -> str:
        return target.masked_url

    @staticmethod
    def resolve_events(target: NotificationTarget) -> list[str]:
        return [e for e in target.events if e in Event.values]


class TargetIn(Schema):
    model_config = ConfigDict(extra="forbid")

    name: Name
    url: AppriseUrl
    events: Events
    enabled: bool = True
    language: Language = "en"


class TargetPatch(Schema):
    """Only the fields sent are changed."""

    model_config = ConfigDict(extra="forbid")

    name: Name | None = None
    url: AppriseUrl | None = None
    events: Events | None = None
    enabled: bool | None = None
    language: Language | None = None


class TestResultOut(Schema):
    ok: bool = Field(description="Whether the service accepted the test message.")
    error: str = Field(description="Why it did not, as the service or Apprise put it.")
