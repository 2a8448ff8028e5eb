"""Members of an organisation, their roles, and their roles per workspace."""

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router
from ninja.pagination import paginate
from ninja.params import PathEx
from ninja.responses import Status

from chorus.api.lookup import caller, get_or_404, token
from chorus.api.pagination import Page
from chorus.api.schemas.common import id_param, responses
from chorus.api.schemas.tenancy import MemberOut, RoleIn, WorkspaceRoleOut
from chorus.orgs import policy, services
from chorus.orgs.models import Membership, Organisation, Workspace, WorkspaceRole
from chorus.orgs.policy import rule

router = Router(tags=["Members"])

OrgId = PathEx[int, id_param("The organisation's id.")]
MembershipId = PathEx[int, id_param("The membership's id (not the user's).")]
WorkspaceId = PathEx[int, id_param("The workspace's id.")]


def _membership(request: HttpRequest, membership_id: int) -> Membership:
    membership = get_or_404(Membership, membership_id, "organisation", "user")
    # Another organisation's member is "not found", whatever the change asked for.
    policy.authorize(caller(request), "org.view", membership.organisation, token=token(request))
    return membership


@router.get(
    "/orgs/{org_id}/members",
    response=responses({200: list[MemberOut]}),
    summary="List an organisation's members",
)
@paginate(Page)
@rule("member.view")
def list_members(request: HttpRequest, org_id: OrgId) -> QuerySet[Membership]:
    """Members by e-mail address, with their organisation role and any workspace roles."""
    org = get_or_404(Organisation, org_id)
    policy.authorize(caller(request), "member.view", org, token=token(request))
    return (
        Membership.objects.filter(organisation=org)
        .select_related("user")
        .prefetch_related("workspace_roles")
        .order_by("user__email", "id")
    )


@router.patch(
    "/members/{membership_id}",
    response=responses({200: MemberOut}),
    summary="Change a member's role",
)
@rule("member.manage")
def update_member(request: HttpRequest, membership_id: MembershipId, payload: RoleIn) -> Membership:
    """Owners and admins change roles; only an owner grants or takes away ownership, and
    the last owner stays an owner."""
    membership = _membership(request, membership_id)
    services.change_member_role(
        caller(request), membership, payload.role.value, token=token(request)
    )
    return membership


@router.delete(
    "/members/{membership_id}", response=responses({204: None}), summary="Remove a member"
)
@rule("member.manage")
def remove_member(request: HttpRequest, membership_id: MembershipId) -> Status[None]:
    """The person loses access to the organisation. The last owner cannot be removed."""
    membership = _membership(request, membership_id)
    services.remove_member(caller(request), membership, token=token(request))
    return Status(204, None)


@router.put(
    "/members/{membership_id}/workspaces/{workspace_id}",
    response=responses({200: WorkspaceRoleOut}),
    summary="Set a member's role in one workspace",
)
@rule("member.manage")
def set_workspace_role(
    request: HttpRequest, membership_id: MembershipId, workspace_id: WorkspaceId, payload: RoleIn
) -> WorkspaceRole:
    """Give a member a different role in one workspace than across the organisation,
    e.g. manager of one client's workspace, analyst elsewhere."""
    membership = _membership(request, membership_id)
    workspace = get_or_404(Workspace, workspace_id, "organisation")
    override = services.set_workspace_role(
        caller(request), membership, workspace, payload.role.value, token=token(request)
    )
    assert override is not None  # only a None role removes the override
    return override


@router.delete(
    "/members/{membership_id}/workspaces/{workspace_id}",
    response=responses({204: None}),
    summary="Remove a member's workspace role",
)
@rule("member.manage")
def clear_workspace_role(
    request: HttpRequest, membership_id: MembershipId, workspace_id: WorkspaceId
) -> Status[None]:
    """The member's organisation role applies in the workspace again."""
    membership = _membership(request, membership_id)
    workspace = get_or_404(Workspace, workspace_id, "organisation")
    services.set_workspace_role(caller(request), membership, workspace, None, token=token(request))
    return Status(204, None)
