"""The one place that decides who may do what.

Every web view and API endpoint names an action (`@rule("workspace.update")`) and calls
`authorize(...)` on the object it touches. The permission matrix test walks every URL and
fails if one has no rule, so a new endpoint cannot slip in unguarded.

Tenant isolation: when the user holds no role where the object lives, the answer is
NotFound rather than Forbidden, so other organisations' ids reveal nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from chorus.orgs.models import Membership, Organisation, Workspace, WorkspaceRole
from chorus.orgs.roles import Role

R = Role
ALL_INTERNAL = frozenset({R.OWNER, R.ADMIN, R.MANAGER, R.EDITOR, R.ANALYST, R.AGENT})
EVERYONE = ALL_INTERNAL | {R.EXTERNAL_APPROVER}


@dataclass(frozen=True)
class Action:
    roles: frozenset[str]
    writes: bool
    description: str


ACTIONS: dict[str, Action] = {
    "org.view": Action(EVERYONE, writes=False, description=gettext_noop("See the organisation")),
    "org.update": Action(
        frozenset({R.OWNER, R.ADMIN}),
        writes=True,
        description=gettext_noop("Rename the organisation and change its settings"),
    ),
    "org.delete": Action(
        frozenset({R.OWNER}), writes=True, description=gettext_noop("Delete the organisation")
    ),
    "member.view": Action(ALL_INTERNAL, writes=False, description=gettext_noop("List members")),
    "member.manage": Action(
        frozenset({R.OWNER, R.ADMIN}),
        writes=True,
        description=gettext_noop("Change members' roles and remove members"),
    ),
    "invitation.manage": Action(
        frozenset({R.OWNER, R.ADMIN}),
        writes=True,
        description=gettext_noop("Invite people and revoke invitations"),
    ),
    "workspace.view": Action(
        ALL_INTERNAL, writes=False, description=gettext_noop("See a workspace")
    ),
    "workspace.create": Action(
        frozenset({R.OWNER, R.ADMIN}), writes=True, description=gettext_noop("Create workspaces")
    ),
    "workspace.update": Action(
        frozenset({R.OWNER, R.ADMIN, R.MANAGER}),
        writes=True,
        description=gettext_noop("Change a workspace's name and settings"),
    ),
    "workspace.delete": Action(
        frozenset({R.OWNER, R.ADMIN}), writes=True, description=gettext_noop("Delete a workspace")
    ),
    "account.view": Action(
        frozenset({R.OWNER, R.ADMIN, R.MANAGER, R.EDITOR, R.ANALYST}),
        writes=False,
        description=gettext_noop("See connected social accounts"),
    ),
    "account.manage": Action(
        frozenset({R.OWNER, R.ADMIN, R.MANAGER}),
        writes=True,
        description=gettext_noop("Connect, reconnect and disconnect accounts"),
    ),
    "audit.view": Action(
        frozenset({R.OWNER, R.ADMIN}),
        writes=False,
        description=gettext_noop("Read the audit trail"),
    ),
    "post.view": Action(
        frozenset({R.OWNER, R.ADMIN, R.MANAGER, R.EDITOR, R.ANALYST}),
        writes=False,
        description=gettext_noop("See posts, the calendar and delivery logs"),
    ),
    "post.create": Action(
        frozenset({R.OWNER, R.ADMIN, R.MANAGER, R.EDITOR}),
        writes=True,
        description=gettext_noop("Create and edit posts"),
    ),
    "post.publish": Action(
        frozenset({R.OWNER, R.ADMIN, R.MANAGER}),
        writes=True,
        description=gettext_noop("Schedule and publish without approval"),
    ),
    "post.approve": Action(
        frozenset({R.OWNER, R.ADMIN, R.MANAGER, R.EXTERNAL_APPROVER}),
        writes=True,
        description=gettext_noop("Approve or reject posts"),
    ),
    "report.view": Action(
        frozenset({R.OWNER, R.ADMIN, R.MANAGER, R.EDITOR, R.ANALYST}),
        writes=False,
        description=gettext_noop("Read analytics and reports"),
    ),
    "inbox.use": Action(
        frozenset({R.OWNER, R.ADMIN, R.MANAGER, R.AGENT}),
        writes=True,
        description=gettext_noop("Read and answer the inbox"),
    ),
}

# Actions on the user's own things (profile, 2FA, API tokens): no organisation involved.
SELF_ACTIONS = {"self.view": False, "self.update": True}
# Actions on the installation itself (workers, health), for its administrators (superusers).
SYSTEM_ACTIONS = {"system.view": False}


class PolicyError(Exception):
    status = 403


class Forbidden(PolicyError):
    status = 403


class NotFound(PolicyError):
    status = 404


class NotAuthenticated(PolicyError):
    status = 401


def scope_of(obj: Any) -> tuple[Organisation, Workspace | None]:
    if isinstance(obj, Organisation):
        return obj, None
    if isinstance(obj, Workspace):
        return obj.organisation, obj
    workspace = getattr(obj, "workspace", None)
    if isinstance(workspace, Workspace):
        return workspace.organisation, workspace
    organisation = getattr(obj, "organisation", None)
    if isinstance(organisation, Organisation):
        return organisation, None
    raise TypeError(f"The policy does not know where a {type(obj).__name__} lives.")


def role_for(
    user: Any, organisation: Organisation, workspace: Workspace | None = None
) -> str | None:
    if user is None or not user.is_authenticated:
        return None
    membership = Membership.objects.filter(user=user, organisation=organisation).first()
    if membership is None:
        return None
    if workspace is None or membership.role == R.OWNER:
        return membership.role
    override = WorkspaceRole.objects.filter(membership=membership, workspace=workspace).first()
    return override.role if override else membership.role


def can(user: Any, action: str, obj: Any, token: Any = None) -> bool:
    try:
        authorize(user, action, obj, token=token)
    except PolicyError:
        return False
    return True


def authorize(user: Any, action: str, obj: Any = None, token: Any = None) -> str | None:
    """Raise unless `user` may do `action` on `obj`; return the role that allowed it."""
    if user is None or not user.is_authenticated:
        raise NotAuthenticated(_("Log in first."))
    if action in SYSTEM_ACTIONS:
        if not user.is_superuser:
            raise Forbidden(_("Only the installation's administrators may do this."))
        _check_token(token, writes=SYSTEM_ACTIONS[action])
        return None
    if action in SELF_ACTIONS:
        _check_token(token, writes=SELF_ACTIONS[action])
        owner = getattr(obj, "user", user) if obj is not None else user
        if owner != user:
            raise NotFound(_("Not found."))
        return None
    spec = ACTIONS[action]
    organisation, workspace = scope_of(obj)
    role = role_for(user, organisation, workspace)
    if role is None:
        raise NotFound(_("Not found."))
    if role not in spec.roles:
        raise Forbidden(
            _("Your role (%(role)s) does not allow this: %(action)s.")
            % {"role": Role(role).label, "action": _(spec.description).lower()}
        )
    _check_token(token, writes=spec.writes)
    return role


def _check_token(token: Any, *, writes: bool) -> None:
    if token is None:
        return
    needed = "write" if writes else "read"
    if not token.allows(needed):
        raise Forbidden(_("This API token lacks the '%(scope)s' scope.") % {"scope": needed})


def organisations_for(user: Any) -> QuerySet[Organisation]:
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(memberships__user=user).distinct()


def workspaces_for(
    user: Any, organisation: Organisation, action: str = "workspace.view"
) -> QuerySet[Workspace]:
    """The workspaces of `organisation` where `user` may do `action`."""
    membership = Membership.objects.filter(user=user, organisation=organisation).first()
    if membership is None:
        return Workspace.objects.none()
    allowed = ACTIONS[action].roles
    workspaces = Workspace.objects.filter(organisation=organisation)
    if membership.role == R.OWNER:
        return workspaces
    overrides = WorkspaceRole.objects.filter(membership=membership)
    granted = overrides.filter(role__in=allowed).values("workspace")
    denied = overrides.exclude(role__in=allowed).values("workspace")
    if membership.role in allowed:
        return workspaces.exclude(pk__in=denied)
    return workspaces.filter(Q(pk__in=granted))


V = TypeVar("V", bound=Callable[..., Any])


def rule(action: str) -> Callable[[V], V]:
    """Declare the action a view guards. The matrix test reads it off every URL."""
    if action not in ACTIONS and action not in SELF_ACTIONS and action not in SYSTEM_ACTIONS:
        raise KeyError(f"Unknown policy action {action!r}")

    def mark(view: V) -> V:
        view.policy_action = action  # type: ignore[attr-defined]
        return view

    return mark


def public(view: V) -> V:
    """Declare a view open to anyone (login, health checks, invitation links)."""
    view.policy_action = "public"  # type: ignore[attr-defined]
    return view
