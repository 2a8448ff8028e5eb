"""An organisation's overview and settings."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from chorus.orgs import policy, services
from chorus.orgs.models import Membership
from chorus.orgs.policy import rule
from chorus.orgs.roles import Role
from chorus.web import scope
from chorus.web.form_errors import add_service_errors
from chorus.web.forms import ConfirmNameForm, OrganisationForm


@rule("org.view")
@login_required
def overview(request: HttpRequest, org_slug: str) -> HttpResponse:
    org = scope.organisation(request, org_slug, "org.view")
    role = policy.role_for(request.user, org)
    workspaces = policy.workspaces_for(request.user, org).annotate(
        account_count=Count("social_accounts")
    )
    return render(
        request,
        "web/org_overview.html",
        {
            "org": org,
            "workspaces": workspaces,
            "member_count": Membership.objects.filter(organisation=org).count(),
            "org_role_label": Role(role).label if role else "",
            "can_create_workspace": policy.can(request.user, "workspace.create", org),
        },
    )


@rule("org.update")
@login_required
def settings_page(request: HttpRequest, org_slug: str) -> HttpResponse:
    org = scope.organisation(request, org_slug, "org.update")
    form = OrganisationForm(request.POST or None, initial={"name": org.name})
    if request.method == "POST" and form.is_valid():
        try:
            services.update_organisation(
                scope.person(request),
                org,
                name=form.cleaned_data["name"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Organisation settings saved."))
            return redirect("web:org_settings", org_slug=org.slug)
    return render(
        request,
        "web/org_settings.html",
        {
            "org": org,
            "form": form,
            "can_delete": policy.can(request.user, "org.delete", org),
            "delete_form": ConfirmNameForm(expected=org.name),
        },
        status=400 if request.method == "POST" else 200,
    )


@rule("org.delete")
@login_required
def delete(request: HttpRequest, org_slug: str) -> HttpResponse:
    org = scope.organisation(request, org_slug, "org.delete")
    form = ConfirmNameForm(request.POST or None, expected=org.name)
    if request.method == "POST" and form.is_valid():
        name = org.name
        services.delete_organisation(scope.person(request), org)
        messages.success(
            request, _("Organisation “%(name)s” and everything in it was deleted.") % {"name": name}
        )
        return redirect("web:home")
    return render(
        request,
        "web/org_delete.html",
        {"org": org, "form": form},
        status=400 if request.method == "POST" else 200,
    )
