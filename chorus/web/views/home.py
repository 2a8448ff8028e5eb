"""The start page: the person's organisations, and creating a new one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from chorus.orgs import policy, services
from chorus.orgs.models import Membership
from chorus.orgs.policy import rule
from chorus.web import scope
from chorus.web.form_errors import add_service_errors
from chorus.web.forms import OrganisationForm


def _home_context(request: HttpRequest, form: OrganisationForm) -> dict[str, object]:
    memberships = (
        Membership.objects.filter(user=scope.person(request))
        .select_related("organisation")
        .order_by("organisation__name")
    )
    return {"memberships": memberships, "form": form}


@rule("self.view")
@login_required
def home(request: HttpRequest) -> HttpResponse:
    policy.authorize(request.user, "self.view")
    return render(request, "web/home.html", _home_context(request, OrganisationForm()))


@rule("self.update")
@login_required
def org_create(request: HttpRequest) -> HttpResponse:
    """Anyone with an account may start an organisation; they become its owner."""
    policy.authorize(request.user, "self.update")
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            org = services.create_organisation(
                scope.person(request),
                form.cleaned_data["name"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Organisation “%(name)s” created. Add a workspace for each brand or client.")
                % {"name": org.name},
            )
            return redirect("web:org", org_slug=org.slug)
    return render(
        request,
        "web/home.html",
        _home_context(request, form),
        status=400 if request.method == "POST" else 200,
    )
