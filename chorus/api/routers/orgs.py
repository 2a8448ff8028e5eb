"""Organisations: the tenants. Everything else lives inside one."""

from typing import Any

from django.db.models import F, FilteredRelation, Q, QuerySet
from django.http import HttpRequest
from ninja import Router
from ninja.pagination import paginate
from ninja.params import PathEx
from ninja.responses import Status

from chorus.api.lookup import caller, get_or_404, token
from chorus.api.pagination import Page
from chorus.api.schemas.common import id_param, responses
from chorus.api.schemas.tenancy import OrganisationIn, OrganisationOut, OrganisationPatch
from chorus.orgs import policy, services
from chorus.orgs.models import Organisation
from chorus.orgs.policy import rule
from chorus.orgs.roles import Role

router = Router(tags=["Organisations"])

OrgId = PathEx[int, id_param("The organisation's id.")]


def _with_role(org: Organisation, role: str | None) -> Organisation:
    org.role = role  # type: ignore[attr-defined]
    return org


@router.get(
    "/orgs", response=responses({200: list[OrganisationOut]}), summary="List your organisations"
)
@paginate(Page)
@rule("self.view")
def list_organisations(request: HttpRequest) -> QuerySet[Organisation]:
    """The organisations you belong to, by name, each with your role in it."""
    user = caller(request)
    policy.authorize(user, "self.view", token=token(request))
    return (
        Organisation.objects.annotate(
            mine=FilteredRelation("memberships", condition=Q(memberships__user=user))
        )
        .filter(mine__isnull=False)
        .annotate(role=F("mine__role"))
        .order_by("name", "id")
    )


@router.post("/orgs", response=responses({201: OrganisationOut}), summary="Create an organisation")
@rule("self.update")
def create_organisation(request: HttpRequest, payload: OrganisationIn) -> Status[Any]:
    """Anyone may start an organisation; its creator becomes its owner."""
    user = caller(request)
    policy.authorize(user, "self.update", token=token(request))
    org = services.create_organisation(user, payload.name)
    return Status(201, _with_role(org, Role.OWNER))


@router.get(
    "/orgs/{org_id}", response=responses({200: OrganisationOut}), summary="Show an organisation"
)
@rule("org.view")
def get_organisation(request: HttpRequest, org_id: OrgId) -> Organisation:
    org = get_or_404(Organisation, org_id)
    role = policy.authorize(caller(request), "org.view", org, token=token(request))
    return _with_role(org, role)


@router.patch(
    "/orgs/{org_id}", response=responses({200: OrganisationOut}), summary="Rename an organisation"
)
@rule("org.update")
def update_organisation(
    request: HttpRequest, org_id: OrgId, payload: OrganisationPatch
) -> Organisation:
    """Owners and admins may rename it. Its slug (used in links) does not change."""
    user = caller(request)
    org = get_or_404(Organisation, org_id)
    if payload.name is None:
        policy.authorize(user, "org.update", org, token=token(request))
    else:
        org = services.update_organisation(user, org, name=payload.name, token=token(request))
    return _with_role(org, policy.role_for(user, org))


@router.delete("/orgs/{org_id}", response=responses({204: None}), summary="Delete an organisation")
@rule("org.delete")
def delete_organisation(request: HttpRequest, org_id: OrgId) -> Status[None]:
    """Owners only. Deletes its workspaces, connected accounts, members and invitations;
    the audit trail keeps its events."""
    org = get_or_404(Organisation, org_id)
    services.delete_organisation(caller(request), org, token=token(request))
    return Status(204, None)
