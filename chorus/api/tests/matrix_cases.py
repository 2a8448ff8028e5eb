"""Permission-matrix rows for the API (see chorus/orgs/tests/matrix.py).

Targets come from the `tenants` fixture: the matrix fingerprints the database before each
request, so a case must not create rows while building its URL or body.
"""

from typing import Any

from chorus.accounts.models import ApiToken
from chorus.orgs.tests.matrix import Case

V1 = "/api/v1"


def _org(t: Any, own: bool) -> int:
    return (t.org if own else t.other_org).pk


def _workspace(t: Any, own: bool) -> int:
    return (t.workspace if own else t.other_workspace).pk


def _membership(t: Any, own: bool) -> int:
    # The analyst's membership: owners and admins may change or remove it.
    user = t.users["analyst"] if own else t.other_owner
    return user.memberships.get().pk


def _invitation(t: Any, own: bool) -> int:
    return (t.invitation if own else t.other_invitation).pk


def _account(t: Any, own: bool) -> int:
    return (t.account if own else t.other_account).pk


def _newest_token(t: Any, own: bool) -> int:
    # The matrix issues the caller's token just before the request; revoke that one.
    newest = ApiToken.objects.order_by("-id").first()
    return newest.pk if newest else 1


CASES: list[Case] = [
    # Profile and tokens: the caller's own things, no other tenant involved.
    Case("GET /api/v1/me", "self.view", lambda t, own: f"{V1}/me", cross_tenant=False),
    Case(
        "PATCH /api/v1/me",
        "self.update",
        lambda t, own: f"{V1}/me",
        method="PATCH",
        data=lambda t, own: {"time_zone": "Asia/Vientiane"},
        cross_tenant=False,
    ),
    Case("GET /api/v1/tokens", "self.view", lambda t, own: f"{V1}/tokens", cross_tenant=False),
    Case(
        "POST /api/v1/tokens",
        "self.update",
        lambda t, own: f"{V1}/tokens",
        method="POST",
        data=lambda t, own: {"name": "Reporting script", "scopes": ["read"]},
        cross_tenant=False,
    ),
    Case(
        "DELETE /api/v1/tokens/{token_id}",
        "self.update",
        lambda t, own: f"{V1}/tokens/{_newest_token(t, own)}",
        method="DELETE",
        cross_tenant=False,
    ),
    # Organisations.
    Case("GET /api/v1/orgs", "self.view", lambda t, own: f"{V1}/orgs", cross_tenant=False),
    Case(
        "POST /api/v1/orgs",
        "self.update",
        lambda t, own: f"{V1}/orgs",
        method="POST",
        data=lambda t, own: {"name": "Initech"},
        cross_tenant=False,
    ),
    Case("GET /api/v1/orgs/{org_id}", "org.view", lambda t, own: f"{V1}/orgs/{_org(t, own)}"),
    Case(
        "PATCH /api/v1/orgs/{org_id}",
        "org.update",
        lambda t, own: f"{V1}/orgs/{_org(t, own)}",
        method="PATCH",
        data=lambda t, own: {"name": "Acme Corporation"},
    ),
    Case(
        "DELETE /api/v1/orgs/{org_id}",
        "org.delete",
        lambda t, own: f"{V1}/orgs/{_org(t, own)}",
        method="DELETE",
    ),
    # Workspaces.
    Case(
        "GET /api/v1/orgs/{org_id}/workspaces",
        "workspace.view",
        lambda t, own: f"{V1}/orgs/{_org(t, own)}/workspaces",
    ),
    Case(
        "POST /api/v1/orgs/{org_id}/workspaces",
        "workspace.create",
        lambda t, own: f"{V1}/orgs/{_org(t, own)}/workspaces",
        method="POST",
        data=lambda t, own: {"name": "Client Co", "kind": "client", "time_zone": "Asia/Vientiane"},
    ),
    Case(
        "GET /api/v1/workspaces/{workspace_id}",
        "workspace.view",
        lambda t, own: f"{V1}/workspaces/{_workspace(t, own)}",
    ),
    Case(
        "PATCH /api/v1/workspaces/{workspace_id}",
        "workspace.update",
        lambda t, own: f"{V1}/workspaces/{_workspace(t, own)}",
        method="PATCH",
        data=lambda t, own: {"name": "Acme Brand EU", "time_zone": "Europe/Berlin"},
    ),
    Case(
        "DELETE /api/v1/workspaces/{workspace_id}",
        "workspace.delete",
        lambda t, own: f"{V1}/workspaces/{_workspace(t, own)}",
        method="DELETE",
    ),
    # Members and their workspace roles.
    Case(
        "GET /api/v1/orgs/{org_id}/members",
        "member.view",
        lambda t, own: f"{V1}/orgs/{_org(t, own)}/members",
    ),
    Case(
        "PATCH /api/v1/members/{membership_id}",
        "member.manage",
        lambda t, own: f"{V1}/members/{_membership(t, own)}",
        method="PATCH",
        data=lambda t, own: {"role": "editor"},
    ),
    Case(
        "DELETE /api/v1/members/{membership_id}",
        "member.manage",
        lambda t, own: f"{V1}/members/{_membership(t, own)}",
        method="DELETE",
    ),
    Case(
        "PUT /api/v1/members/{membership_id}/workspaces/{workspace_id}",
        "member.manage",
        lambda t, own: f"{V1}/members/{_membership(t, own)}/workspaces/{_workspace(t, own)}",
        method="PUT",
        data=lambda t, own: {"role": "manager"},
    ),
    Case(
        "DELETE /api/v1/members/{membership_id}/workspaces/{workspace_id}",
        "member.manage",
        lambda t, own: f"{V1}/members/{_membership(t, own)}/workspaces/{_workspace(t, own)}",
        method="DELETE",
    ),
    # Invitations.
    Case(
        "GET /api/v1/orgs/{org_id}/invitations",
        "invitation.manage",
        lambda t, own: f"{V1}/orgs/{_org(t, own)}/invitations",
    ),
    Case(
        "POST /api/v1/orgs/{org_id}/invitations",
        "invitation.manage",
        lambda t, own: f"{V1}/orgs/{_org(t, own)}/invitations",
        method="POST",
        data=lambda t, own: {"email": "new.hire@example.test", "role": "editor"},
    ),
    Case(
        "DELETE /api/v1/invitations/{invitation_id}",
        "invitation.manage",
        lambda t, own: f"{V1}/invitations/{_invitation(t, own)}",
        method="DELETE",
    ),
    # Social accounts.
    Case(
        "GET /api/v1/workspaces/{workspace_id}/accounts",
        "account.view",
        lambda t, own: f"{V1}/workspaces/{_workspace(t, own)}/accounts",
    ),
    Case(
        "GET /api/v1/accounts/{account_id}",
        "account.view",
        lambda t, own: f"{V1}/accounts/{_account(t, own)}",
    ),
    Case(
        "DELETE /api/v1/accounts/{account_id}",
        "account.manage",
        lambda t, own: f"{V1}/accounts/{_account(t, own)}",
        method="DELETE",
    ),
    # Audit trail and the installation.
    Case(
        "GET /api/v1/orgs/{org_id}/audit",
        "audit.view",
        lambda t, own: f"{V1}/orgs/{_org(t, own)}/audit",
    ),
    Case(
        "GET /api/v1/system/workers",
        "system.view",
        lambda t, own: f"{V1}/system/workers",
        cross_tenant=False,
    ),
]
