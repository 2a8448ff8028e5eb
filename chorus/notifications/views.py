"""The workspace's notification settings: targets, a test button, and the recent log.

Every page needs "workspace.update", listing included: a target's URL is a secret, and
even its name and errors say where a workspace's alerts go.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chorus.notifications import services
from chorus.notifications.forms import TargetForm
from chorus.notifications.models import Event, NotificationLog, NotificationTarget
from chorus.notifications.validation import service_name
from chorus.orgs.models import Workspace
from chorus.orgs.policy import rule
from chorus.web import scope
from chorus.web.form_errors import add_service_errors

ACTION = "workspace.update"
RECENT = 20


def _workspace(request: HttpRequest, org_slug: str, ws_slug: str) -> Workspace:
    return scope.workspace(request, org_slug, ws_slug, ACTION)


def _target(workspace: Workspace, target_id: int) -> NotificationTarget:
    return get_object_or_404(NotificationTarget, pk=target_id, workspace=workspace)


def _back(workspace: Workspace) -> HttpResponse:
    return redirect(
        "web:notifications", org_slug=workspace.organisation.slug, ws_slug=workspace.slug
    )


def event_label(event: str) -> Any:
    return Event(event).label if event in Event.values else _("Test message")


@rule(ACTION)
@login_required
def target_list(request: HttpRequest, org_slug: str, ws_slug: str) -> HttpResponse:
    ws = _workspace(request, org_slug, ws_slug)
    targets = list(services.targets_of(scope.person(request), ws))
    log = (
        NotificationLog.objects.filter(target__workspace=ws)
        .select_related("target")
        .order_by("-sent_at", "-pk")[:RECENT]
    )
    return render(
        request,
        "notifications/list.html",
        {
            "org": ws.organisation,
            "workspace": ws,
            "targets": [{"t": t, "service": service_name(t.url)} for t in targets],
            "log": [{"entry": entry, "event": event_label(entry.event)} for entry in log],
        },
    )


@rule(ACTION)
@login_required
def target_create(request: HttpRequest, org_slug: str, ws_slug: str) -> HttpResponse:
    ws = _workspace(request, org_slug, ws_slug)
    form = TargetForm(request.POST or None, initial={"language": translation.get_language()})
    if request.method == "POST" and form.is_valid():
        try:
            target = services.create_target(scope.person(request), ws, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Notifications now go to “%(name)s”. Send a test to check it works.")
                % {"name": target.name},
            )
            return _back(ws)
    return render(
        request,
        "notifications/form.html",
        {"org": ws.organisation, "workspace": ws, "form": form, "creating": True},
        status=400 if request.method == "POST" else 200,
    )


@rule(ACTION)
@login_required
def target_edit(request: HttpRequest, org_slug: str, ws_slug: str, target_id: int) -> HttpResponse:
    ws = _workspace(request, org_slug, ws_slug)
    target = _target(ws, target_id)
    form = TargetForm(
        request.POST or None,
        editing=True,
        initial={
            "name": target.name,
            "events": target.events,
            "language": target.language,
            "enabled": target.enabled,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["url"] = data.get("url") or None  # empty keeps the saved URL
        try:
            services.update_target(scope.person(request), target, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("Notification target “%(name)s” saved.") % {"name": target.name}
            )
            return _back(ws)
    return render(
        request,
        "notifications/form.html",
        {
            "org": ws.organisation,
            "workspace": ws,
            "form": form,
            "creating": False,
            "target": target,
            "service": service_name(target.url),
        },
        status=400 if request.method == "POST" else 200,
    )


@rule(ACTION)
@login_required
def target_delete(
    request: HttpRequest, org_slug: str, ws_slug: str, target_id: int
) -> HttpResponse:
    ws = _workspace(request, org_slug, ws_slug)
    target = _target(ws, target_id)
    if request.method != "POST":
        return render(
            request,
            "notifications/delete.html",
            {"org": ws.organisation, "workspace": ws, "target": target},
        )
    name = target.name
    services.delete_target(scope.person(request), target)
    messages.success(request, _("Notification target “%(name)s” deleted.") % {"name": name})
    return _back(ws)


@rule(ACTION)
@login_required
@require_POST
def target_test(request: HttpRequest, org_slug: str, ws_slug: str, target_id: int) -> HttpResponse:
    ws = _workspace(request, org_slug, ws_slug)
    target = _target(ws, target_id)
    outcome = services.send_test(scope.person(request), target)
    if scope.is_htmx(request):
        return render(
            request,
            "notifications/partials/test_result.html",
            {"outcome": outcome, "target": target},
        )
    if outcome.ok:
        messages.success(
            request, _("Test sent to “%(name)s”; the service accepted it.") % {"name": target.name}
        )
    else:
        messages.error(
            request,
            _("The test to “%(name)s” failed: %(error)s")
            % {"name": target.name, "error": outcome.error},
        )
    return _back(ws)
