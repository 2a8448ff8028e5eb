"""Workspaces: one per brand or client, holding its social accounts."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from chorus.orgs import policy, services
from chorus.orgs.policy import rule
from chorus.orgs.timezones import available
from chorus.web import scope
from chorus.web.form_errors import add_service_errors
from chorus.web.forms import WorkspaceForm


def _zones() -> list[str]:
    return sorted(available())


@rule("workspace.create")
@login_required
def create(request: HttpRequest, org_slug: str) -> HttpResponse:
    org = scope.organisation(request, org_slug, "workspace.create")
    form = WorkspaceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            ws = services.create_workspace(
                scope.person(request),
                org,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Workspace “%(name)s” created.") % {"name": ws.name})
            return redirect("web:workspace", org_slug=org.slug, ws_slug=ws.slug)
    return render(
        request,
        "web/workspace_form.html",
        {"org": org, "form": form, "zones": _zones(), "creating": True},
        status=400 if request.method == "POST" else 200,
    )


@rule("workspace.view")
@login_required
def detail(request: HttpRequest, org_slug: str, ws_slug: str) -> HttpResponse:
    ws = scope.workspace(request, org_slug, ws_slug, "workspace.view")
    can_see_accounts = policy.can(request.user, "account.view", ws)
    return render(
        request,
        "web/workspace_detail.html",
        {
            "org": ws.organisation,
            "workspace": ws,
            "can_see_accounts": can_see_accounts,
            "accounts": ws.social_accounts.all() if can_see_accounts else [],
            "can_update": policy.can(request.user, "workspace.update", ws),
            "can_manage_accounts": policy.can(request.user, "account.manage", ws),
            "can_see_posts": policy.can(request.user, "post.view", ws),
            "can_compose": policy.can(request.user, "post.create", ws),
            "can_delete": policy.can(request.user, "workspace.delete", ws),
            "role": policy.role_for(request.user, ws.organisation, ws),
        },
    )


@rule("workspace.update")
@login_required
def edit(request: HttpRequest, org_slug: str, ws_slug: str) -> HttpResponse:
    ws = scope.workspace(request, org_slug, ws_slug, "workspace.update")
    form = WorkspaceForm(
        request.POST or None, initial={"name": ws.name, "kind": ws.kind, "time_zone": ws.time_zone}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_workspace(
                scope.person(request),
                ws,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Workspace settings saved."))
            return redirect("web:workspace", org_slug=ws.organisation.slug, ws_slug=ws.slug)
    return render(
        request,
        "web/workspace_form.html",
        {
            "org": ws.organisation,
            "workspace": ws,
            "form": form,
            "zones": _zones(),
            "creating": False,
        },
        status=400 if request.method == "POST" else 200,
    )


@rule("workspace.delete")
@login_required
def delete(request: HttpRequest, org_slug: str, ws_slug: str) -> HttpResponse:
    ws = scope.workspace(request, org_slug, ws_slug, "workspace.delete")
    if request.method == "POST":
        name, org = ws.name, ws.organisation
        services.delete_workspace(scope.person(request), ws)
        messages.success(request, _("Workspace “%(name)s” was deleted.") % {"name": name})
        return redirect("web:org", org_slug=org.slug)
    return render(
        request,
        "web/workspace_delete.html",
        {"org": ws.organisation, "workspace": ws, "account_count": ws.social_accounts.count()},
    )
