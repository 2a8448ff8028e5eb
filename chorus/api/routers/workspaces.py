"""Workspaces: the brands or clients inside an organisation."""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router
from ninja.pagination import paginate
from ninja.params import PathEx
from ninja.responses import Status

from chorus.api.lookup import caller, get_or_404, token
from chorus.api.pagination import Page
from chorus.api.schemas.common import id_param, responses
from chorus.api.schemas.tenancy import WorkspaceIn, WorkspaceOut, WorkspacePatch
from chorus.orgs import policy, services
from chorus.orgs.models import Organisation, Workspace
from chorus.orgs.policy import rule

router = Router(tags=["Workspaces"])

OrgId = PathEx[int, id_param("The organisation's id.")]
WorkspaceId = PathEx[int, id_param("The workspace's id.")]


@router.get(
    "/orgs/{org_id}/workspaces",
    response=responses({200: list[WorkspaceOut]}),
    summary="List an organisation's workspaces",
)
@paginate(Page)
@rule("workspace.view")
def list_workspaces(request: HttpRequest, org_id: OrgId) -> QuerySet[Workspace]:
    """The workspaces you may see, by name. A workspace role can hide a workspace from a
    member, or show one to a member whose organisation role sees none."""
    user = caller(request)
    org = get_or_404(Organisation, org_id)
    policy.authorize(user, "org.view", org, token=token(request))
    visible = policy.workspaces_for(user, org).order_by("name", "id")
    if not visible.exists():
        # Nothing to show: say why when the role itself sees no workspaces.
        policy.authorize(user, "workspace.view", org, token=token(request))
    return visible


@router.post(
    "/orgs/{org_id}/workspaces",
    response=responses({201: WorkspaceOut}),
    summary="Create a workspace",
)
@rule("workspace.create")
def create_workspace(request: HttpRequest, org_id: OrgId, payload: WorkspaceIn) -> Status[Any]:
    org = get_or_404(Organisation, org_id)
    workspace = services.create_workspace(
        caller(request),
        org,
        name=payload.name,
        kind=payload.kind.value,
        time_zone=payload.time_zone,
        token=token(request),
    )
    return Status(201, workspace)


@router.get(
    "/workspaces/{workspace_id}",
    response=responses({200: WorkspaceOut}),
    summary="Show a workspace",
)
@rule("workspace.view")
def get_workspace(request: HttpRequest, workspace_id: WorkspaceId) -> Workspace:
    workspace = get_or_404(Workspace, workspace_id, "organisation")
    policy.authorize(caller(request), "workspace.view", workspace, token=token(request))
    return workspace


@router.patch(
    "/workspaces/{workspace_id}",
    response=responses({200: WorkspaceOut}),
    summary="Change a workspace",
)
@rule("workspace.update")
def update_workspace(
    request: HttpRequest, workspace_id: WorkspaceId, payload: WorkspacePatch
) -> Workspace:
    """Rename it, change its kind or its time zone. Fields left out stay as they are."""
    workspace = get_or_404(Workspace, workspace_id, "organisation")
    return services.update_workspace(
        caller(request),
        workspace,
        name=payload.name,
        kind=payload.kind.value if payload.kind else None,
        time_zone=payload.time_zone,
        token=token(request),
    )


@router.delete(
    "/workspaces/{workspace_id}", response=responses({204: None}), summary="Delete a workspace"
)
@rule("workspace.delete")
def delete_workspace(request: HttpRequest, workspace_id: WorkspaceId) -> Status[None]:
    """Deletes the workspace with its connected accounts."""
    workspace = get_or_404(Workspace, workspace_id, "organisation")
    services.delete_workspace(caller(request), workspace, token=token(request))
    return Status(204, None)
