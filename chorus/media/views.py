"""The media library page, the composer's upload endpoint, and files served through the
policy (there is no public URL for an uploaded file)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from chorus.media import services
from chorus.media.models import MediaAsset
from chorus.orgs import policy
from chorus.orgs.models import Workspace
from chorus.orgs.policy import rule
from chorus.web import scope

PAGE_SIZE = 48


@rule("workspace.view")
@login_required
@require_GET
def library(request: HttpRequest, org_slug: str, ws_slug: str) -> HttpResponse:
    ws = scope.workspace(request, org_slug, ws_slug, "workspace.view")
    page = Paginator(ws.media.select_related("uploaded_by"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "media/library.html",
        {
            "org": ws.organisation,
            "workspace": ws,
            "page": page,
            "can_upload": policy.can(request.user, "post.create", ws),
        },
    )


@rule("post.create")
@login_required
@require_POST
def upload(request: HttpRequest, org_slug: str, ws_slug: str) -> HttpResponse:
    """Answers JSON for the composer (201 with the asset, 422 with errors), a card for
    htmx, and a redirect back to the library for a plain form."""
    ws = scope.workspace(request, org_slug, ws_slug, "post.create")
    file = request.FILES.get("file")
    try:
        if file is None:
            raise ValidationError({"file": [_("Choose a file to upload.")]})
        asset = services.upload(
            ws, scope.person(request), file, alt_text=request.POST.get("alt_text", "")
        )
    except ValidationError as exc:
        return _refused(request, ws, exc)
    if scope.is_htmx(request):
        context = {**_card(ws, asset), "clear_errors": True}
        return render(request, "media/_asset_card.html", context, status=201)
    if _wants_page(request):
        messages.success(request, _("“%(name)s” was added.") % {"name": asset.original_name})
        return redirect(_library_url(ws))
    return JsonResponse(asset_json(asset), status=201)


@rule("workspace.view")
@login_required
@require_GET
def file(request: HttpRequest, org_slug: str, ws_slug: str, asset_id: int) -> FileResponse:
    asset = _asset(request, org_slug, ws_slug, asset_id)
    return _serve(asset.file, asset.mime_type, asset.original_name)


@rule("workspace.view")
@login_required
@require_GET
def thumbnail(request: HttpRequest, org_slug: str, ws_slug: str, asset_id: int) -> FileResponse:
    asset = _asset(request, org_slug, ws_slug, asset_id)
    if not asset.thumbnail:
        raise Http404("no thumbnail")
    return _serve(asset.thumbnail, "image/webp", None)


def asset_json(asset: MediaAsset) -> dict[str, Any]:
    ws = asset.workspace
    args = (ws.organisation.slug, ws.slug, asset.pk)
    return {
        "id": asset.pk,
        "kind": asset.kind,
        "mime_type": asset.mime_type,
        "size_bytes": asset.size_bytes,
        "width": asset.width,
        "height": asset.height,
        "duration": asset.duration_seconds,
        "alt_text": asset.alt_text,
        "original_name": asset.original_name,
        "url": reverse("web:media_file", args=args),
        "thumbnail_url": reverse("web:media_thumbnail", args=args) if asset.thumbnail else None,
        "problems": services.problems(asset),
    }


def _asset(request: HttpRequest, org_slug: str, ws_slug: str, asset_id: int) -> MediaAsset:
    ws = scope.workspace(request, org_slug, ws_slug, "workspace.view")
    return get_object_or_404(
        MediaAsset.objects.select_related("workspace"), pk=asset_id, workspace=ws
    )


def _serve(field: FieldFile, content_type: str, name: str | None) -> FileResponse:
    try:
        handle = field.open("rb")
    except OSError as exc:
        raise Http404("file missing from storage") from exc
    response = FileResponse(handle, content_type=content_type, filename=name or "")
    response["Cache-Control"] = "private, max-age=3600"
    # Checked to be an image or a video, but never let a browser run it as a page.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def _card(ws: Workspace, asset: MediaAsset) -> dict[str, Any]:
    return {"org": ws.organisation, "workspace": ws, "asset": asset}


def _refused(request: HttpRequest, ws: Workspace, exc: ValidationError) -> HttpResponse:
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"file": exc.messages}
    detail = " ".join(m for msgs in errors.values() for m in msgs)
    if scope.is_htmx(request):
        response = render(request, "media/_upload_errors.html", {"detail": detail}, status=422)
        response["HX-Retarget"] = "#upload-errors"
        response["HX-Reswap"] = "innerHTML"
        return response
    if _wants_page(request):
        messages.error(request, detail)
        return redirect(_library_url(ws))
    return JsonResponse({"detail": detail, "errors": errors}, status=422)


def _wants_page(request: HttpRequest) -> bool:
    # A browser submitting the form asks for HTML; the composer's fetch() asks for JSON.
    return "text/html" in request.headers.get("Accept", "")


def _library_url(ws: Workspace) -> str:
    return reverse("web:media_library", args=(ws.organisation.slug, ws.slug))
