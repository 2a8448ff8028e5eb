"""The caller's own things: profile and personal API tokens."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Annotated

from django.conf import settings
from django.utils import timezone
from ninja import Field, Schema
from pydantic import ConfigDict

from chorus.accounts.models import ApiToken
from chorus.api.schemas.common import NoNul, UtcDatetime, limits

Language = Enum(  # type: ignore[misc]
    "Language", {code: code for code, _name in settings.LANGUAGES}, type=str
)


class MeOut(Schema):
    id: int
    email: str
    full_name: str
    language: str = Field(description="Language of the interface and of API messages.")
    time_zone: str = Field(description="IANA time zone in which times are shown.")
    totp_enabled: bool = Field(description="Whether a second factor protects the login.")
    is_superuser: bool = Field(description="Whether this person administers the installation.")
    date_joined: datetime


class MeIn(Schema):
    """Only the fields sent are changed."""

    model_config = ConfigDict(extra="forbid")

    full_name: Annotated[str, limits(150), NoNul] | None = None
    language: Language | None = None
    time_zone: (
        Annotated[str, limits(64, 1, "An IANA time zone, such as Asia/Vientiane."), NoNul] | None
    ) = None


class TokenOut(Schema):
    id: int
    name: str
    key_prefix: str = Field(description="The token's first characters, to recognise it.")
    scopes: list[str]
    state: str = Field(description="active, expired or revoked.")
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime | None
    revoked_at: datetime | None

    @staticmethod
    def resolve_state(token: ApiToken) -> str:
        if token.revoked_at is not None:
            return "revoked"
        if token.expires_at is not None and token.expires_at <= timezone.now():
            return "expired"
        return "active"


class TokenCreated(TokenOut):
    token: str = Field(description="The secret. It is shown only now; store it safely.")


class TokenIn(Schema):
    model_config = ConfigDict(extra="forbid")

    name: Annotated[str, limits(100, 1, "What the token is for."), NoNul]
    scopes: list[ApiToken.Scope] = Field(
        min_length=1,
        max_length=2,
        description="`read` to look, `write` to change. A token cannot grant more than "
        "the token that creates it.",
    )
    expires_at: UtcDatetime | None = Field(
        None, description="When the token stops working; never if omitted."
    )
