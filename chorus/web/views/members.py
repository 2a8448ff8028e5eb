"""Members, their roles (organisation-wide and per workspace) and invitations.

Forms post to ordinary URLs and redirect; with htmx the same URLs answer with the changed
table row, so a role change or a revocation does not reload the page.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chorus.orgs import policy, services
from chorus.orgs.models import Invitation, Membership, Organisation, Workspace, WorkspaceRole
from chorus.orgs.policy import rule
from chorus.orgs.roles import ROLE_DESCRIPTIONS, Role
from chorus.web import scope
from chorus.web.form_errors import add_service_errors
from chorus.web.forms import InviteForm, RoleForm, WorkspaceRoleForm, role_choices

# Invitations that are no longer pending stay listed for a while, so an admin can see
# that one was accepted or has expired.
RECENT_INVITATIONS = 50


def _actor_is_owner(request: HttpRequest, org: Organisation) -> bool:
    return policy.role_for(request.user, org) == Role.OWNER


def _powers(request: HttpRequest, org: Organisation) -> dict[str, bool]:
    """What the person looking may do to members; computed once per page, not per row."""
    return {
        "actor_is_owner": _actor_is_owner(request, org),
        "can_manage": policy.can(request.user, "member.manage", org),
    }


def _row(
    request: HttpRequest,
    org: Organisation,
    membership: Membership,
    powers: dict[str, bool] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    powers = powers or _powers(request, org)
    # Only owners may touch an owner's membership (the service enforces it too).
    editable = powers["can_manage"] and (membership.role != Role.OWNER or powers["actor_is_owner"])
    return {
        "org": org,
        "m": membership,
        "editable": editable,
        "can_manage": powers["can_manage"],
        "is_me": membership.user_id == request.user.pk,
        "role_choices": role_choices(include_owner=powers["actor_is_owner"]),
        **extra,
    }


def _memberships(org: Organisation) -> Any:
    return (
        Membership.objects.filter(organisation=org)
        .select_related("user")
        .prefetch_related(
            Prefetch(
                "workspace_roles",
                queryset=WorkspaceRole.objects.select_related("workspace").order_by(
                    "workspace__name"
                ),
            )
        )
        .order_by("user__email")
    )


def _page(
    request: HttpRequest,
    org: Organisation,
    *,
    invite_form: InviteForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    can_invite = policy.can(request.user, "invitation.manage", org)
    powers = _powers(request, org)
    actor_is_owner = powers["actor_is_owner"]
    context: dict[str, Any] = {
        "org": org,
        "rows": [_row(request, org, m, powers) for m in _memberships(org)],
        "can_manage": powers["can_manage"],
        "can_invite": can_invite,
        "error": error,
        "roles": [(Role(value), ROLE_DESCRIPTIONS[Role(value)]) for value in Role.values],
    }
    if can_invite:
        context["invite_form"] = invite_form or InviteForm(include_owner=actor_is_owner)
        context["invitations"] = _invitations(org)
    return render(request, "web/members.html", context, status=status)


def _invitations(org: Organisation) -> list[Invitation]:
    return list(
        Invitation.objects.filter(organisation=org)
        .select_related("invited_by")
        .order_by("-created_at")[:RECENT_INVITATIONS]
    )


def _membership(org: Organisation, member_id: int) -> Membership:
    return get_object_or_404(
        Membership.objects.select_related("user"), pk=member_id, organisation=org
    )


@rule("member.view")
@login_required
def members(request: HttpRequest, org_slug: str) -> HttpResponse:
    org = scope.organisation(request, org_slug, "member.view")
    return _page(request, org)


@rule("member.manage")
@login_required
@require_POST
def member_role(request: HttpRequest, org_slug: str, member_id: int) -> HttpResponse:
    org = scope.organisation(request, org_slug, "member.manage")
    membership = _membership(org, member_id)
    form = RoleForm(request.POST)
    error = ""
    if not form.is_valid():
        error = _("Choose one of the listed roles.")
    else:
        try:
            services.change_member_role(
                scope.person(request),
                membership,
                form.cleaned_data["role"],
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
            membership.refresh_from_db()
    if scope.is_htmx(request):
        notice = (
            "" if error else _("Role changed to %(role)s.") % {"role": Role(membership.role).label}
        )
        return render(
            request,
            "web/partials/member_row.html",
            {"row": _row(request, org, membership, error=error, notice=notice)},
            status=422 if error else 200,
        )
    if error:
        return _page(request, org, error=error, status=400)
    messages.success(
        request,
        _("%(person)s is now %(role)s.")
        % {"person": membership.user.display_name, "role": Role(membership.role).label},
    )
    return redirect("web:members", org_slug=org.slug)


@rule("member.manage")
@login_required
def member_remove(request: HttpRequest, org_slug: str, member_id: int) -> HttpResponse:
    org = scope.organisation(request, org_slug, "member.manage")
    membership = _membership(org, member_id)
    if request.method != "POST":
        return render(request, "web/member_remove.html", {"org": org, "m": membership})
    person = membership.user.display_name
    removing_self = membership.user_id == request.user.pk
    try:
        services.remove_member(scope.person(request), membership)
    except ValidationError as exc:
        error = " ".join(exc.messages)
        if scope.is_htmx(request):
            return render(
                request,
                "web/partials/member_row.html",
                {"row": _row(request, org, membership, error=error)},
                status=422,
            )
        return _page(request, org, error=error, status=400)
    if removing_self:
        messages.success(request, _("You left %(org)s.") % {"org": org.name})
        if scope.is_htmx(request):
            return HttpResponse(status=204, headers={"HX-Redirect": reverse("web:home")})
        return redirect("web:home")
    if scope.is_htmx(request):
        # An empty answer replaces the row with nothing; the status region says why.
        return render(
            request,
            "web/partials/removed_row.html",
            {"message": _("%(person)s was removed.") % {"person": person}},
        )
    messages.success(
        request, _("%(person)s was removed from %(org)s.") % {"person": person, "org": org.name}
    )
    return redirect("web:members", org_slug=org.slug)


@rule("member.manage")
@login_required
def member_workspaces(request: HttpRequest, org_slug: str, member_id: int) -> HttpResponse:
    """Per-workspace roles: narrow someone to fewer rights in one workspace, or widen them."""
    org = scope.organisation(request, org_slug, "member.manage")
    membership = _membership(org, member_id)
    workspaces = list(Workspace.objects.filter(organisation=org).order_by("name"))
    errors: dict[int, str] = {}
    saved: int | None = None
    if request.method == "POST":
        form = WorkspaceRoleForm(request.POST)
        workspace = None
        if form.is_valid():
            workspace = next(
                (w for w in workspaces if w.pk == form.cleaned_data["workspace"]), None
            )
        if workspace is None:
            return render(
                request,
                "web/400.html",
                {
                    "message": _(
                        "Choose a workspace of this organisation and one of the listed roles."
                    )
                },
                status=400,
            )
        try:
            services.set_workspace_role(
                scope.person(request),
                membership,
                workspace,
                form.cleaned_data["role"] or None,
            )
        except ValidationError as exc:
            errors[workspace.pk] = " ".join(exc.messages)
        else:
            saved = workspace.pk
        if scope.is_htmx(request):
            return render(
                request,
                "web/partials/workspace_role_row.html",
                {"row": _workspace_row(org, membership, workspace, errors, saved)},
                status=422 if errors else 200,
            )
        if not errors:
            messages.success(
                request, _("Role in %(workspace)s saved.") % {"workspace": workspace.name}
            )
            return redirect("web:member_workspaces", org_slug=org.slug, member_id=membership.pk)
    overrides = {wr.workspace_id: wr.role for wr in membership.workspace_roles.all()}
    rows = [_workspace_row(org, membership, ws, errors, saved, overrides) for ws in workspaces]
    return render(
        request,
        "web/member_workspaces.html",
        {"org": org, "m": membership, "rows": rows, "is_owner": membership.role == Role.OWNER},
        status=400 if errors else 200,
    )


def _workspace_row(
    org: Organisation,
    membership: Membership,
    workspace: Workspace,
    errors: dict[int, str],
    saved: int | None,
    overrides: dict[int, str] | None = None,
) -> dict[str, Any]:
    if overrides is None:
        overrides = dict(
            WorkspaceRole.objects.filter(membership=membership).values_list("workspace_id", "role")
        )
    override = overrides.get(workspace.pk, "")
    effective = membership.role if membership.role == Role.OWNER else (override or membership.role)
    return {
        "org": org,
        "m": membership,
        "workspace": workspace,
        "override": override,
        "effective_label": Role(effective).label,
        "role_choices": role_choices(include_owner=False),
        "error": errors.get(workspace.pk, ""),
        "saved": saved == workspace.pk,
        "disabled": membership.role == Role.OWNER,
    }


@rule("invitation.manage")
@login_required
def invitations(request: HttpRequest, org_slug: str) -> HttpResponse:
    """Invite someone by e-mail; the list of invitations is part of the members page."""
    org = scope.organisation(request, org_slug, "invitation.manage")
    members_url = reverse("web:members", args=[org.slug]) + "#invitations"
    if request.method != "POST":
        return redirect(members_url)
    form = InviteForm(request.POST, include_owner=_actor_is_owner(request, org))
    if form.is_valid():
        try:
            invitation, _raw = services.invite(
                scope.person(request),
                org,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            notice = _("Invitation sent to %(email)s. The link works for %(days)d days.") % {
                "email": invitation.email,
                "days": settings.INVITATION_MAX_AGE_DAYS,
            }
            if scope.is_htmx(request):
                return render(
                    request,
                    "web/partials/invitations.html",
                    {
                        "org": org,
                        "invite_form": InviteForm(include_owner=_actor_is_owner(request, org)),
                        "invitations": _invitations(org),
                        "notice": notice,
                    },
                )
            messages.success(request, notice)
            return redirect(members_url)
    if scope.is_htmx(request):
        return render(
            request,
            "web/partials/invitations.html",
            {"org": org, "invite_form": form, "invitations": _invitations(org)},
            status=422,
        )
    return _page(request, org, invite_form=form, status=400)


@rule("invitation.manage")
@login_required
@require_POST
def invitation_revoke(request: HttpRequest, org_slug: str, invitation_id: int) -> HttpResponse:
    org = scope.organisation(request, org_slug, "invitation.manage")
    invitation = get_object_or_404(Invitation, pk=invitation_id, organisation=org)
    error = ""
    try:
        services.revoke_invitation(scope.person(request), invitation)
    except ValidationError as exc:
        error = " ".join(exc.messages)
    if scope.is_htmx(request):
        return render(
            request,
            "web/partials/invitation_row.html",
            {
                "org": org,
                "inv": invitation,
                "error": error,
                "notice": "" if error else _("Revoked."),
            },
            status=422 if error else 200,
        )
    if error:
        return _page(request, org, error=error, status=400)
    messages.success(
        request,
        _("The invitation for %(email)s was revoked; its link no longer works.")
        % {"email": invitation.email},
    )
    return redirect(reverse("web:members", args=[org.slug]) + "#invitations")
