"""Organisations, their workspaces, members and invitations."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from ninja import Field, Schema
from pydantic import ConfigDict

from chorus.api.schemas.common import NoNul, limits
from chorus.orgs.models import Invitation, Membership, Workspace
from chorus.orgs.roles import Role

Name = Annotated[str, limits(120, 1), NoNul]
TimeZone = Annotated[str, limits(64, 1, "An IANA time zone, such as Asia/Vientiane."), NoNul]


class OrganisationOut(Schema):
    id: int
    name: str
    slug: str
    created_at: datetime
    role: Role = Field(description="Your role in this organisation.")


class OrganisationIn(Schema):
    model_config = ConfigDict(extra="forbid")

    name: Name


class OrganisationPatch(Schema):
    model_config = ConfigDict(extra="forbid")

    name: Name | None = None


class WorkspaceOut(Schema):
    id: int
    organisation_id: int
    name: str
    slug: str
    kind: Workspace.Kind = Field(description="A brand of your own, or a client's.")
    time_zone: str = Field(description="IANA time zone for the workspace's schedule.")
    created_at: datetime


class WorkspaceIn(Schema):
    model_config = ConfigDict(extra="forbid")

    name: Name
    kind: Workspace.Kind = Workspace.Kind.BRAND
    time_zone: TimeZone = "UTC"


class WorkspacePatch(Schema):
    """Only the fields sent are changed."""

    model_config = ConfigDict(extra="forbid")

    name: Name | None = None
    kind: Workspace.Kind | None = None
    time_zone: TimeZone | None = None


class PersonOut(Schema):
    id: int
    email: str
    full_name: str


class WorkspaceRoleOut(Schema):
    membership_id: int
    workspace_id: int
    role: Role = Field(description="The member's role in this workspace only.")


class MemberOut(Schema):
    id: int = Field(description="The membership's id.")
    user: PersonOut
    role: Role = Field(description="The member's role across the organisation.")
    created_at: datetime
    workspace_roles: list[WorkspaceRoleOut] = Field(
        description="Workspaces where the member holds a different role."
    )

    @staticmethod
    def resolve_workspace_roles(membership: Membership) -> list[WorkspaceRoleOut]:
        return [
            WorkspaceRoleOut(
                membership_id=membership.pk, workspace_id=wr.workspace_id, role=Role(wr.role)
            )
            for wr in membership.workspace_roles.all()
        ]


class RoleIn(Schema):
    model_config = ConfigDict(extra="forbid")

    role: Role


class InvitationOut(Schema):
    id: int
    email: str
    role: Role
    state: str = Field(description="pending, accepted, revoked or expired.")
    invited_by: str | None = Field(description="E-mail address of who sent it.")
    created_at: datetime
    expires_at: datetime
    accepted_at: datetime | None
    revoked_at: datetime | None

    @staticmethod
    def resolve_invited_by(invitation: Invitation) -> str | None:
        return invitation.invited_by.email if invitation.invited_by else None


class InvitationIn(Schema):
    model_config = ConfigDict(extra="forbid")

    email: Annotated[str, limits(254, 1, "Where the invitation link is sent."), NoNul]
    role: Role
