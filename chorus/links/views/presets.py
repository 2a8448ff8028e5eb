"""A workspace's UTM presets: who may look, and who may change them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chorus.api.schemas.common import MAX_ID
from chorus.links import presets
from chorus.links.forms import UtmPresetForm
from chorus.links.models import UtmPreset
from chorus.orgs import policy
from chorus.orgs.models import Workspace
from chorus.orgs.policy import rule
from chorus.web import scope
from chorus.web.form_errors import add_service_errors

SERVICE_FIELDS = {"campaign_id": "campaign"}
PLACEHOLDER_HELP = {
    "network": gettext_lazy("the network the post goes to, such as mastodon"),
    "account": gettext_lazy("the account's handle, without the @"),
    "campaign": gettext_lazy("the post's campaign: its UTM campaign value, else its name"),
    "post_id": gettext_lazy("the post's number"),
    "workspace": gettext_lazy("this workspace's short name, as in its address"),
}


def _preset(workspace: Workspace, preset_id: int) -> UtmPreset:
    # Looked up inside the workspace already authorised: another one's id is not found.
    found = None
    if preset_id <= MAX_ID:
        found = UtmPreset.objects.filter(workspace=workspace, pk=preset_id).first()
    if found is None:
        raise Http404("No such UTM preset")
    return found


def _back(workspace: Workspace) -> HttpResponse:
    return redirect("web:links_utm", org_slug=workspace.organisation.slug, ws_slug=workspace.slug)


@rule("workspace.view")
@login_required
def preset_list(request: HttpRequest, org_slug: str, ws_slug: str) -> HttpResponse:
    ws = scope.workspace(request, org_slug, ws_slug, "workspace.view")
    return render(
        request,
        "links/utm_list.html",
        {
            "org": ws.organisation,
            "workspace": ws,
            "presets": ws.utm_presets.select_related("campaign"),
            "placeholders": PLACEHOLDER_HELP.items(),
            "can_update": policy.can(request.user, "workspace.update", ws),
            "can_see_report": policy.can(request.user, "report.view", ws),
        },
    )


def _form_page(
    request: HttpRequest, ws: Workspace, form: UtmPresetForm, preset: UtmPreset | None
) -> HttpResponse:
    return render(
        request,
        "links/utm_form.html",
        {
            "org": ws.organisation,
            "workspace": ws,
            "form": form,
            "preset": preset,
            "placeholders": PLACEHOLDER_HELP.items(),
        },
        status=400 if request.method == "POST" else 200,
    )


@rule("workspace.update")
@login_required
def preset_create(request: HttpRequest, org_slug: str, ws_slug: str) -> HttpResponse:
    ws = scope.workspace(request, org_slug, ws_slug, "workspace.update")
    form = UtmPresetForm(request.POST or None, workspace=ws, initial={"utm_medium": "social"})
    if request.method == "POST" and form.is_valid():
        try:
            preset = presets.create_preset(scope.person(request), ws, **form.service_arguments())
        except ValidationError as exc:
            add_service_errors(form, exc, SERVICE_FIELDS)
        else:
            messages.success(request, _("UTM preset “%(name)s” saved.") % {"name": preset.name})
            return _back(ws)
    return _form_page(request, ws, form, None)


@rule("workspace.update")
@login_required
def preset_edit(request: HttpRequest, org_slug: str, ws_slug: str, preset_id: int) -> HttpResponse:
    ws = scope.workspace(request, org_slug, ws_slug, "workspace.update")
    preset = _preset(ws, preset_id)
    initial = {
        "name": preset.name,
        "campaign": preset.campaign_id,
        "is_default": preset.is_default,
        **preset.templates(),
    }
    form = UtmPresetForm(request.POST or None, workspace=ws, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            preset = presets.update_preset(
                scope.person(request), preset, **form.service_arguments()
            )
        except ValidationError as exc:
            add_service_errors(form, exc, SERVICE_FIELDS)
        else:
            messages.success(request, _("UTM preset “%(name)s” saved.") % {"name": preset.name})
            return _back(ws)
    return _form_page(request, ws, form, preset)


@rule("workspace.update")
@login_required
def preset_delete(
    request: HttpRequest, org_slug: str, ws_slug: str, preset_id: int
) -> HttpResponse:
    ws = scope.workspace(request, org_slug, ws_slug, "workspace.update")
    preset = _preset(ws, preset_id)
    if request.method == "POST":
        name = preset.name
        presets.delete_preset(scope.person(request), preset)
        messages.success(request, _("UTM preset “%(name)s” deleted.") % {"name": name})
        return _back(ws)
    return render(
        request,
        "links/utm_delete.html",
        {"org": ws.organisation, "workspace": ws, "preset": preset},
    )
