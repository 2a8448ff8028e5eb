"""Media assets over the API: upload, list, show, describe (alt text), delete."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.params import PathEx
from ninja.responses import Status

from chorus.api.lookup import caller, get_or_404, token
from chorus.api.pagination import Page
from chorus.api.schemas.common import id_param, responses
from chorus.media import services
from chorus.media.models import MediaAsset
from chorus.media.schemas import UPLOAD_BODY, MediaOut, MediaPatch
from chorus.orgs import policy
from chorus.orgs.models import Workspace
from chorus.orgs.policy import rule

router = Router(tags=["Media"])

WorkspaceId = PathEx[int, id_param("The workspace's id.")]
AssetId = PathEx[int, id_param("The media asset's id.")]


@router.post(
    "/workspaces/{workspace_id}/media",
    response=responses({201: MediaOut}),
    summary="Upload a media file",
    openapi_extra=UPLOAD_BODY,
)
@rule("post.create")
def upload_media(request: HttpRequest, workspace_id: WorkspaceId) -> Status[Any]:
    """Send the file as the `file` field of a multipart/form-data body. It is checked by
    its content (a renamed text file or a damaged image is refused with a 422 naming the
    problem). The same content uploaded twice to a workspace gives the same asset."""
    workspace = get_or_404(Workspace, workspace_id, "organisation")
    # The policy answers before the body is looked at.
    policy.authorize(caller(request), "post.create", workspace, token=token(request))
    file = request.FILES.get("file")
    if file is None:
        raise ValidationError(
            {"file": [_("Send the file as the “file” field of a multipart/form-data body.")]}
        )
    asset = services.upload(
        workspace,
        caller(request),
        file,
        alt_text=request.POST.get("alt_text", ""),
        token=token(request),
    )
    return Status(201, asset)


@router.get(
    "/workspaces/{workspace_id}/media",
    response=responses({200: list[MediaOut]}),
    summary="List a workspace's media",
)
@paginate(Page)
@rule("workspace.view")
def list_media(request: HttpRequest, workspace_id: WorkspaceId) -> QuerySet[MediaAsset]:
    """Newest first."""
    workspace = get_or_404(Workspace, workspace_id, "organisation")
    policy.authorize(caller(request), "workspace.view", workspace, token=token(request))
    return MediaAsset.objects.filter(workspace=workspace).order_by("-created_at", "-id")


@router.get("/media/{asset_id}", response=responses({200: MediaOut}), summary="Show a media file")
@rule("workspace.view")
def get_media(request: HttpRequest, asset_id: AssetId) -> MediaAsset:
    asset = get_or_404(MediaAsset, asset_id, "workspace__organisation")
    policy.authorize(caller(request), "workspace.view", asset, token=token(request))
    return asset


@router.patch(
    "/media/{asset_id}",
    response=responses({200: MediaOut}),
    summary="Change a media file's alt text",
)
@rule("post.create")
def update_media(request: HttpRequest, asset_id: AssetId, payload: MediaPatch) -> MediaAsset:
    asset = get_or_404(MediaAsset, asset_id, "workspace__organisation")
    services.update_alt_text(caller(request), asset, payload.alt_text, token=token(request))
    return asset


@router.delete("/media/{asset_id}", response=responses({204: None}), summary="Delete a media file")
@rule("post.create")
def delete_media(request: HttpRequest, asset_id: AssetId) -> Status[None]:
    """Refused with 409 while a post uses the file: take it off the post first."""
    asset = get_or_404(MediaAsset, asset_id, "workspace__organisation")
    try:
        services.delete(caller(request), asset, token=token(request))
    except services.MediaInUse as exc:
        raise HttpError(409, str(exc)) from exc
    return Status(204, None)
