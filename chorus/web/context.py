from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from chorus.orgs import policy

# Organisation-wide permissions the navigation needs, as template-friendly names.
NAV_ACTIONS = {
    "member_view": "member.view",
    "member_manage": "member.manage",
    "invitation_manage": "invitation.manage",
    "audit_view": "audit.view",
    "org_update": "org.update",
    "org_delete": "org.delete",
    "workspace_create": "workspace.create",
}


def shell(request: HttpRequest) -> dict[str, Any]:
    """What the base layout needs on every page: the current organisation and workspace,
    the person's organisations for the switcher, and what their role lets them open."""
    org = getattr(request, "organisation", None)
    context: dict[str, Any] = {
        "current_org": org,
        "current_workspace": getattr(request, "workspace", None),
        "user_time_zone": "UTC",
    }
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return context
    context["user_time_zone"] = user.time_zone or "UTC"
    context["my_organisations"] = SimpleLazyObject(
        lambda: list(policy.organisations_for(user).order_by("name"))
    )
    if org is not None:
        context["current_workspaces"] = SimpleLazyObject(
            lambda: list(policy.workspaces_for(user, org).order_by("name"))
        )
        role = policy.role_for(user, org)
        context["org_role"] = role
        context["org_can"] = {
            key: role in policy.ACTIONS[action].roles for key, action in NAV_ACTIONS.items()
        }
    return context
