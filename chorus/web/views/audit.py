"""The organisation's audit trail, newest first, with what each change did."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from chorus.audit.models import AuditEvent
from chorus.orgs.policy import rule
from chorus.web import scope

PAGE_SIZE = 50

OBJECT_LABELS = {
    "accounts.user": _("Person"),
    "accounts.apitoken": _("API token"),
    "orgs.organisation": _("Organisation"),
    "orgs.workspace": _("Workspace"),
    "orgs.membership": _("Membership"),
    "orgs.workspacerole": _("Workspace role"),
    "orgs.socialaccount": _("Social account"),
    "orgs.invitation": _("Invitation"),
}
VERB_LABELS = {
    "create": _("created"),
    "update": _("changed"),
    "delete": _("deleted"),
}


def _show(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _changes(event: AuditEvent) -> list[dict[str, str]]:
    before = event.before if isinstance(event.before, dict) else {}
    after = event.after if isinstance(event.after, dict) else {}
    if event.before is not None and not isinstance(event.before, dict):
        before = {"": event.before}
    if event.after is not None and not isinstance(event.after, dict):
        after = {"": event.after}
    fields = [*before.keys(), *[k for k in after if k not in before]]
    created = event.before is None
    deleted = event.after is None
    return [
        {
            "field": name,
            "before": "" if created else _show(before.get(name)),
            "after": "" if deleted else _show(after.get(name)),
        }
        for name in fields
    ]


def _describe(event: AuditEvent) -> dict[str, Any]:
    model, _sep, verb = event.action.rpartition(".")
    object_label = OBJECT_LABELS.get(event.object_type or model, event.object_type or model)
    return {
        "event": event,
        "object_label": object_label,
        "verb_label": VERB_LABELS.get(verb, ""),
        "changes": _changes(event),
        "created": event.before is None,
        "deleted": event.after is None,
    }


@rule("audit.view")
@login_required
def audit_log(request: HttpRequest, org_slug: str) -> HttpResponse:
    org = scope.organisation(request, org_slug, "audit.view")
    events = AuditEvent.objects.filter(organisation_id=org.pk).order_by("-id")
    action = request.GET.get("action", "").strip()
    actor = request.GET.get("actor", "").strip()
    if "\x00" in action + actor:
        # PostgreSQL cannot compare text holding NUL; say so instead of failing.
        return render(
            request,
            "web/400.html",
            {"message": gettext("This must not contain the NUL character.")},
            status=400,
        )
    if action:
        events = events.filter(action__startswith=action)
    if actor:
        events = events.filter(actor_label__icontains=actor)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    actions = (
        AuditEvent.objects.filter(organisation_id=org.pk)
        .order_by("action")
        .values_list("action", flat=True)
        .distinct()
    )
    query = {k: v for k, v in (("action", action), ("actor", actor)) if v}
    return render(
        request,
        "web/audit.html",
        {
            "org": org,
            "page": page,
            "rows": [_describe(e) for e in page.object_list],
            "actions": list(actions),
            "action": action,
            "actor": actor,
            "query": urlencode(query),
        },
    )
