"""The import page (upload, dry run with every row's errors, confirm) and the export page."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from chorus.orgs import policy
from chorus.orgs.models import Workspace
from chorus.orgs.policy import rule
from chorus.orgs.timezones import available
from chorus.publishing.bulk import pending, service
from chorus.publishing.bulk.export import export_posts, select_posts
from chorus.publishing.bulk.forms import ExportForm, ImportForm
from chorus.publishing.bulk.rows import MAX_ROWS, DateOrder, Encoding, Format, Upload
from chorus.publishing.scheduling.zones import wall_to_utc, zone_info
from chorus.web import scope

PREVIEW_ROWS = 200


@rule("post.create")
@login_required
@require_http_methods(["GET", "POST"])
def import_posts(request: HttpRequest, org_slug: str, ws_slug: str) -> HttpResponse:
    ws = scope.workspace(request, org_slug, ws_slug, "post.create")
    may_schedule = policy.can(request.user, "post.publish", ws)
    if request.method == "POST" and request.POST.get("step") == "confirm":
        return _confirm(request, ws, may_schedule=may_schedule)
    form = ImportForm(ws, request.POST or None, request.FILES or None, may_schedule=may_schedule)
    report = None
    token = ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        content = data["file"].read()
        options = {
            "name": data["file"].name[-200:],
            "format": data["format"],
            "time_zone": data["time_zone"],
            "account_ids": [a.pk for a in data["accounts"]],
            "date_format": data["date_format"],
            "encoding": data["encoding"],
            "drafts": bool(data.get("drafts")),
        }
        try:
            report = _run(request, ws, content, options, dry_run=True)
        except service.BadRequest as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            if report.ok:
                token = pending.save(request, ws, content, options)
    status = 422 if request.method == "POST" and (report is None or not report.ok) else 200
    return _page(request, ws, form, report, token, may_schedule=may_schedule, status=status)


def _run(
    request: HttpRequest, ws: Workspace, content: bytes, options: dict[str, Any], *, dry_run: bool
) -> service.Report:
    upload = Upload(
        content=content,
        time_zone=options["time_zone"],
        name=options["name"],
        format=Format(options["format"]),
        account_ids=tuple(options["account_ids"]),
        date_order=DateOrder(options["date_format"]),
        encoding=Encoding(options["encoding"]),
    )
    return service.run(ws, scope.person(request), upload, dry_run=dry_run, drafts=options["drafts"])


def _confirm(request: HttpRequest, ws: Workspace, *, may_schedule: bool) -> HttpResponse:
    token = request.POST.get("token", "")
    kept = pending.load(request, ws, token)
    form = ImportForm(ws, may_schedule=may_schedule)
    if kept is None:
        messages.error(request, _("That upload is no longer waiting; upload the file again."))
        return redirect("web:posts_import", org_slug=ws.organisation.slug, ws_slug=ws.slug)
    content, options = kept
    pending.discard(request)
    try:
        report = _run(request, ws, content, options, dry_run=False)
    except service.BadRequest as exc:
        # An account chosen at upload was removed since the check.
        messages.error(request, exc.message)
        return redirect("web:posts_import", org_slug=ws.organisation.slug, ws_slug=ws.slug)
    if not report.ok:
        return _page(request, ws, form, report, "", may_schedule=may_schedule, status=422)
    count = len(report.post_ids)
    if report.mode == service.SCHEDULED:
        text = _("%(count)s posts imported and scheduled.") % {"count": count}
    else:
        text = _("%(count)s posts imported as drafts.") % {"count": count}
    messages.success(request, text)
    first = min((p.scheduled_at for p in report.previews if p.scheduled_at), default=None)
    url = _calendar_url(ws)
    if first is not None:
        # The calendar opens on the viewer's wall clock: show the month of the first post.
        day = first.astimezone(zone_info(scope.person(request).time_zone)).date()
        url += "?" + urlencode({"date": day.isoformat()})
    return redirect(url)


def _calendar_url(ws: Workspace) -> str:
    return reverse("web:calendar", args=(ws.organisation.slug, ws.slug))


def _page(
    request: HttpRequest,
    ws: Workspace,
    form: ImportForm,
    report: service.Report | None,
    token: str,
    *,
    may_schedule: bool,
    status: int,
) -> HttpResponse:
    return render(
        request,
        "publishing/bulk/import.html",
        {
            "org": ws.organisation,
            "workspace": ws,
            "form": form,
            "report": report,
            "token": token,
            "may_schedule": may_schedule,
            "zones": sorted(available()),
            "preview": report.previews[:PREVIEW_ROWS] if report else [],
            "preview_limit": PREVIEW_ROWS,
            "calendar_url": _calendar_url(ws),
        },
        status=status,
    )


@rule("post.view")
@login_required
@require_GET
def export(request: HttpRequest, org_slug: str, ws_slug: str) -> HttpResponse:
    ws = scope.workspace(request, org_slug, ws_slug, "post.view")
    wants_file = "download" in request.GET
    form = ExportForm(ws, request.GET if wants_file else None)
    if wants_file and form.is_valid():
        data = form.cleaned_data
        start = (
            wall_to_utc(datetime.combine(data["start"], time()), ws.time_zone)
            if data["start"]
            else None
        )
        end = (
            wall_to_utc(datetime.combine(data["end"] + timedelta(days=1), time()), ws.time_zone)
            if data["end"]
            else None
        )
        posts = select_posts(ws, start=start, end=end, account=data["account"])
        if posts.count() > MAX_ROWS:
            form.add_error(
                "start",
                _("More than %(limit)s posts match; choose a shorter period.")
                % {"limit": f"{MAX_ROWS:,}"},
            )
            return render(
                request,
                "publishing/bulk/export.html",
                {"org": ws.organisation, "workspace": ws, "form": form},
                status=400,
            )
        exported = export_posts(
            ws,
            posts,
            Format(data["format"]),
            account=data["account"],
            date_order=DateOrder(data["date_format"]),
        )
        response = HttpResponse(exported.content, content_type=exported.content_type)
        response["Content-Disposition"] = f'attachment; filename="{exported.filename}"'
        return response
    return render(
        request,
        "publishing/bulk/export.html",
        {"org": ws.organisation, "workspace": ws, "form": form},
        status=400 if wants_file else 200,
    )
