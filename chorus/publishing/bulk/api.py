"""Bulk import and export over the API."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.params import PathEx
from ninja.responses import Status

from chorus.api.errors import error_body
from chorus.api.lookup import caller, get_or_404, token
from chorus.api.schemas.common import MAX_ID, UtcDatetime, id_param, responses
from chorus.orgs import policy
from chorus.orgs.models import SocialAccount, Workspace
from chorus.orgs.policy import rule
from chorus.publishing.bulk import api_inputs, formats, service
from chorus.publishing.bulk.export import export_posts, select_posts
from chorus.publishing.bulk.rows import MAX_ROWS, DateOrder, Format, Upload
from chorus.publishing.bulk.schemas import ImportOut, PostJson

router = Router(tags=["Bulk import and export"])

WorkspaceId = PathEx[int, id_param("The workspace's id.")]


class ExportFormat(StrEnum):
    HOOTSUITE = "hootsuite"
    CSV = "csv"
    JSON = "json"


def workspace_for(request: HttpRequest, workspace_id: int, action: str) -> Workspace:
    workspace = get_or_404(Workspace, workspace_id, "organisation")
    policy.authorize(caller(request), action, workspace, token=token(request))
    return workspace


def report_out(report: service.Report) -> dict[str, Any]:
    return {
        "ok": report.ok,
        "dry_run": report.dry_run,
        "format": report.format,
        "mode": report.mode,
        "rows": report.rows,
        "created": len(report.post_ids),
        "post_ids": report.post_ids,
        "errors": [i.as_dict() for i in report.errors],
        "warnings": [i.as_dict() for i in report.warnings],
        "preview": [vars(p) for p in report.previews],
    }


@router.post(
    "/workspaces/{workspace_id}/posts/import",
    response=responses({200: ImportOut, 201: ImportOut}),
    summary="Import posts from a CSV or JSON file",
    openapi_extra=api_inputs.IMPORT_BODY,
)
@rule("post.create")
def import_posts(request: HttpRequest, workspace_id: WorkspaceId) -> Any:
    """Hootsuite's bulk CSV (date, message, link; no header), Chorus CSV (with a header)
    or Chorus JSON, as a multipart `file` or a JSON body with `content` or `posts`.

    Every row is checked at once. `dry_run`: 200 with every error and warning, nothing
    written. Otherwise all or nothing: 201 with the new posts' ids, or 422 with every
    error in `problems` (row, column, field, code, message, span) and nothing written.
    Who may schedule gets scheduled posts; an editor gets drafts keeping their times."""
    workspace = workspace_for(request, workspace_id, "post.create")
    options, content, posts = api_inputs.read(request)
    upload = Upload(
        content=content or b"",
        time_zone=options.time_zone or workspace.time_zone,
        format=Format.JSON if posts is not None else options.format,
        account_ids=tuple(dict.fromkeys(options.account_ids)),
        date_order=options.date_format,
        encoding=options.encoding,
    )
    user, key = caller(request), token(request)
    try:
        service.check_choices(workspace, upload)
    except service.BadRequest as exc:
        raise ValidationError({exc.field: [exc.message]}) from None
    parsed = formats.parse_posts(posts, upload) if posts is not None else formats.parse(upload)
    report = service.import_rows(
        workspace, user, parsed, dry_run=options.dry_run, drafts=options.drafts, token=key
    )
    if options.dry_run:
        return report_out(report)
    if report.ok:
        return Status(201, report_out(report))
    return Status(422, _refusal(report))


def _refusal(report: service.Report) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    for issue in report.errors:
        key = f"rows.{issue.row}.{issue.field}" if issue.row else (issue.field or "file")
        errors.setdefault(key, []).append(issue.message)
    detail = _("Nothing was imported: %(count)s problems, listed by row.") % {
        "count": len(report.errors)
    }
    body = error_body(detail, errors)
    body["problems"] = [i.as_dict() for i in report.errors]
    return body


class ExportFilter(Schema):
    format: ExportFormat = ExportFormat.CSV
    start: UtcDatetime | None = Field(None, description="Posts scheduled from this instant.")
    end: UtcDatetime | None = Field(None, description="…and before this one.")
    account_id: int | None = Field(
        None,
        ge=1,
        le=MAX_ID,
        description="Only this account's posts; a Hootsuite export then uses its network's text.",
    )
    date_format: DateOrder = Field(DateOrder.MDY, description="Hootsuite dates: mdy, dmy, ymd.")


EXPORT_RESPONSES = {
    "responses": {
        200: {
            "description": "The file: text/csv for hootsuite and csv, application/json for json.",
            "content": {"text/csv": {"schema": {"type": "string"}}},
        }
    }
}


@router.get(
    "/workspaces/{workspace_id}/posts/export",
    response=responses({200: list[PostJson]}),
    summary="Export posts as a CSV or JSON file",
    openapi_extra=EXPORT_RESPONSES,
)
@rule("post.view")
def export(
    request: HttpRequest, workspace_id: WorkspaceId, filters: Query[ExportFilter]
) -> HttpResponse:
    """The formats the import reads: re-importing a `csv` or `json` export recreates the
    same posts (media are named sha256:<hash> of files in the media library). Times are
    local wall time (the workspace's zone for hootsuite, each post's for the others)."""
    workspace = workspace_for(request, workspace_id, "post.view")
    account = None
    if filters.account_id is not None:
        account = SocialAccount.objects.filter(workspace=workspace, pk=filters.account_id).first()
        if account is None:
            raise ValidationError({"account_id": [_("There is no such account here.")]})
    posts = select_posts(workspace, start=filters.start, end=filters.end, account=account)
    if posts.count() > MAX_ROWS:
        raise ValidationError(
            {
                "start": [
                    _("More than %(limit)s posts match; choose a shorter period.")
                    % {"limit": f"{MAX_ROWS:,}"}
                ]
            }
        )
    exported = export_posts(
        workspace, posts, Format(filters.format), date_order=filters.date_format, account=account
    )
    response = HttpResponse(exported.content, content_type=exported.content_type)
    response["Content-Disposition"] = f'attachment; filename="{exported.filename}"'
    return response
