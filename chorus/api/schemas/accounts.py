"""Connected social accounts. Credentials never leave the server."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema

from chorus.orgs.models import SocialAccount


class AccountOut(Schema):
    id: int
    workspace_id: int
    network: str = Field(description="Which network, e.g. facebook or x.")
    remote_id: str = Field(description="The account's id on its network.")
    handle: str
    display_name: str
    avatar_url: str
    status: SocialAccount.Status
    last_success_at: datetime | None = Field(description="Last time the network answered.")
    last_checked_at: datetime | None = Field(
        description="Last time Chorus checked that the account's credentials still work."
    )
    last_error: str = Field(description="The network's last complaint, if any.")
    created_at: datetime
