"""Permission-matrix rows for the web views (see chorus/orgs/tests/matrix.py).

Each case targets objects the `tenants` fixture (conftest.py) already holds: the matrix
checks that a refused request changes no row, so a case cannot create its target while it
runs. Own-org requests are valid, so an allowed role gets the page or the redirect after
success.
"""

from __future__ import annotations

from typing import Any

from chorus.orgs.models import Membership
from chorus.orgs.tests.matrix import Case


def _org(t: Any, own: bool) -> str:
    return f"/o/{(t.org if own else t.other_org).slug}/"


def _ws(t: Any, own: bool) -> str:
    workspace = t.workspace if own else t.other_workspace
    return f"{_org(t, own)}w/{workspace.slug}/"


def _member(t: Any, own: bool) -> str:
    """A membership to act on: Acme's agent, or the other organisation's owner."""
    user = t.users["agent"] if own else t.other_owner
    org = t.org if own else t.other_org
    membership = Membership.objects.get(user=user, organisation=org)
    return f"{_org(t, own)}members/{membership.pk}/"


def _workspace_role(t: Any, own: bool) -> dict[str, Any]:
    workspace = t.workspace if own else t.other_workspace
    return {"workspace": workspace.pk, "role": "manager"}


def _rename(t: Any, own: bool) -> dict[str, Any]:
    return {"name": "Renamed" if own else "Renamed elsewhere"}


def _confirm_org(t: Any, own: bool) -> dict[str, Any]:
    return {"confirm": (t.org if own else t.other_org).name}


OK_PAGE = frozenset({200})
OK_REDIRECT = frozenset({302})

CASES: list[Case] = [
    # The person's own things: every role may; there is no other tenant to reach.
    Case("web:home", "self.view", lambda t, own: "/", cross_tenant=False),
    Case(
        "web:org_create",
        "self.update",
        lambda t, own: "/organisations/new/",
        method="POST",
        data=lambda t, own: {"name": "Initech"},
        ok=OK_REDIRECT,
        cross_tenant=False,
    ),
    Case(
        "web:settings",
        "self.update",
        lambda t, own: "/settings/",
        method="POST",
        data=lambda t, own: {"full_name": "Pat", "language": "lo", "time_zone": "Asia/Vientiane"},
        ok=OK_REDIRECT,
        cross_tenant=False,
    ),
    Case(
        "web:settings_password",
        "self.update",
        lambda t, own: "/settings/password/",
        method="POST",
        data=lambda t, own: {
            "old_password": "pw-for-tests-1",
            "new_password1": "a-fresh-Passphrase-91",
            "new_password2": "a-fresh-Passphrase-91",
        },
        ok=OK_REDIRECT,
        cross_tenant=False,
    ),
    Case(
        "web:settings_2fa",
        "self.update",
        lambda t, own: "/settings/two-factor/",
        ok=OK_PAGE,
        cross_tenant=False,
    ),
    Case(
        "web:settings_tokens",
        "self.update",
        lambda t, own: "/settings/tokens/",
        method="POST",
        data=lambda t, own: {"name": "reporting", "scopes": ["read"]},
        ok=OK_PAGE,
        cross_tenant=False,
    ),
    # The installation: superusers only, so every organisation role is refused.
    Case("web:system", "system.view", lambda t, own: "/system/", cross_tenant=False),
    # An organisation.
    Case("web:org", "org.view", lambda t, own: _org(t, own), ok=OK_PAGE),
    Case(
        "web:org_settings",
        "org.update",
        lambda t, own: f"{_org(t, own)}settings/",
        method="POST",
        data=_rename,
        ok=OK_REDIRECT,
    ),
    Case(
        "web:org_delete",
        "org.delete",
        lambda t, own: f"{_org(t, own)}delete/",
        method="POST",
        data=_confirm_org,
        ok=OK_REDIRECT,
    ),
    Case("web:members", "member.view", lambda t, own: f"{_org(t, own)}members/", ok=OK_PAGE),
    Case(
        "web:member_role",
        "member.manage",
        lambda t, own: f"{_member(t, own)}role/",
        method="POST",
        data=lambda t, own: {"role": "analyst"},
        ok=OK_REDIRECT,
    ),
    Case(
        "web:member_remove",
        "member.manage",
        lambda t, own: f"{_member(t, own)}remove/",
        method="POST",
        ok=OK_REDIRECT,
    ),
    Case(
        "web:member_workspaces",
        "member.manage",
        lambda t, own: f"{_member(t, own)}workspaces/",
        method="POST",
        data=_workspace_role,
        ok=OK_REDIRECT,
    ),
    Case(
        "web:invitations",
        "invitation.manage",
        lambda t, own: f"{_org(t, own)}invitations/",
        method="POST",
        data=lambda t, own: {"email": "new.person@example.test", "role": "editor"},
        ok=OK_REDIRECT,
    ),
    Case(
        "web:invitation_revoke",
        "invitation.manage",
        lambda t, own: (
            f"{_org(t, own)}invitations/{(t.invitation if own else t.other_invitation).pk}/revoke/"
        ),
        method="POST",
        ok=OK_REDIRECT,
    ),
    Case("web:audit", "audit.view", lambda t, own: f"{_org(t, own)}audit/", ok=OK_PAGE),
    Case(
        "web:workspace_create",
        "workspace.create",
        lambda t, own: f"{_org(t, own)}workspaces/new/",
        method="POST",
        data=lambda t, own: {"name": "Client B", "kind": "client", "time_zone": "Asia/Vientiane"},
        ok=OK_REDIRECT,
    ),
    # A workspace.
    Case("web:workspace", "workspace.view", lambda t, own: _ws(t, own), ok=OK_PAGE),
    Case(
        "web:workspace_edit",
        "workspace.update",
        lambda t, own: f"{_ws(t, own)}edit/",
        method="POST",
        data=lambda t, own: {
            "name": "Brand renamed",
            "kind": "brand",
            "time_zone": "Europe/Berlin",
        },
        ok=OK_REDIRECT,
    ),
    Case(
        "web:workspace_delete",
        "workspace.delete",
        lambda t, own: f"{_ws(t, own)}delete/",
        method="POST",
        ok=OK_REDIRECT,
    ),
]
