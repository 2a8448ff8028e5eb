"""Events of the audit trail."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Field, Schema

from chorus.api.schemas.common import NO_NUL_PATTERN, UtcDatetime


class AuditEventOut(Schema):
    id: int
    created_at: datetime
    actor_id: int | None = Field(description="Who acted; empty for the system.")
    actor_label: str = Field(description="Who acted, as they were known then.")
    action: str = Field(description="What happened, e.g. orgs.workspace.update.")
    object_type: str
    object_id: str
    before: Any = Field(description="Changed fields before; secrets are fingerprints.")
    after: Any = Field(description="Changed fields after; secrets are fingerprints.")
    request_id: str = Field(description="The request that made the change.")
    prev_hash: str
    hash: str = Field(description="Seals this event and, through prev_hash, all before it.")


class AuditFilter(Schema):
    action: str | None = Field(
        None,
        max_length=80,
        pattern=NO_NUL_PATTERN,
        description="Only this action, e.g. orgs.membership.update; end with * for a "
        "prefix, e.g. orgs.membership.*",
    )
    actor: str | None = Field(
        None,
        max_length=254,
        pattern=NO_NUL_PATTERN,
        description="Only events by this user: their id or e-mail address.",
    )
    since: UtcDatetime | None = Field(None, description="Only events at or after this time.")
    until: UtcDatetime | None = Field(None, description="Only events before this time.")
