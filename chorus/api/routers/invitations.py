"""Invitations to join an organisation. The link goes by e-mail, never through the API."""

from typing import Any, Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Router
from ninja.pagination import paginate
from ninja.params import P, PathEx, QueryEx
from ninja.responses import Status

from chorus.api.lookup import caller, get_or_404, token
from chorus.api.pagination import Page
from chorus.api.schemas.common import id_param, responses
from chorus.api.schemas.tenancy import InvitationIn, InvitationOut
from chorus.orgs import policy, services
from chorus.orgs.models import Invitation, Organisation
from chorus.orgs.policy import rule

router = Router(tags=["Invitations"])

OrgId = PathEx[int, id_param("The organisation's id.")]
InvitationId = PathEx[int, id_param("The invitation's id.")]
State = Literal["pending", "accepted", "revoked", "expired"]


def _in_state(invitations: QuerySet[Invitation], state: str | None) -> QuerySet[Invitation]:
    now = timezone.now()
    if state == "pending":
        return invitations.pending()  # type: ignore[attr-defined,no-any-return]
    if state == "accepted":
        return invitations.filter(accepted_at__isnull=False)
    if state == "revoked":
        return invitations.filter(accepted_at__isnull=True, revoked_at__isnull=False)
    if state == "expired":
        return invitations.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, expires_at__lte=now
        )
    return invitations


@router.get(
    "/orgs/{org_id}/invitations",
    response=responses({200: list[InvitationOut]}),
    summary="List an organisation's invitations",
)
@paginate(Page)
@rule("invitation.manage")
def list_invitations(
    request: HttpRequest,
    org_id: OrgId,
    state: QueryEx[State | None, P(description="Only these.")] = None,
) -> QuerySet[Invitation]:
    """Newest first. Only those who may invite see who was invited."""
    user = caller(request)
    org = get_or_404(Organisation, org_id)
    # Reading needs only the read scope; seeing invitations needs the inviting role.
    policy.authorize(user, "org.view", org, token=token(request))
    policy.authorize(user, "invitation.manage", org)
    invitations = Invitation.objects.filter(organisation=org).select_related("invited_by")
    return _in_state(invitations, state).order_by("-created_at", "-id")


@router.post(
    "/orgs/{org_id}/invitations", response=responses({201: InvitationOut}), summary="Invite someone"
)
@rule("invitation.manage")
def create_invitation(request: HttpRequest, org_id: OrgId, payload: InvitationIn) -> Status[Any]:
    """E-mails a link to join with the given role; it works once, for a limited time.
    Inviting an address again replaces its pending invitation. Only owners invite
    owners."""
    org = get_or_404(Organisation, org_id)
    invitation, _link_token = services.invite(
        caller(request), org, email=payload.email, role=payload.role.value, token=token(request)
    )
    return Status(201, invitation)


@router.delete(
    "/invitations/{invitation_id}", response=responses({204: None}), summary="Revoke an invitation"
)
@rule("invitation.manage")
def revoke_invitation(request: HttpRequest, invitation_id: InvitationId) -> Status[None]:
    """The link stops working. Only pending invitations can be revoked."""
    invitation = get_or_404(Invitation, invitation_id, "organisation")
    services.revoke_invitation(caller(request), invitation, token=token(request))
    return Status(204, None)
