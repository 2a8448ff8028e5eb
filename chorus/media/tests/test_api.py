"""Media over the API: multipart upload, list, show, alt text, delete."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from chorus.accounts.models import ApiToken
from chorus.media.models import MediaAsset
from chorus.media.tests.files import image_bytes, mp4, upload
from chorus.publishing.models import Post, PostMedia


def _auth(user, scopes=("read", "write")) -> dict[str, str]:  # type: ignore[no-untyped-def]
    _token, raw = ApiToken.issue(user, "test", list(scopes))
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.mark.django_db
def test_it_uploads_a_video_in_a_multipart_body(tenants) -> None:
    response = Client().post(
        f"/api/v1/workspaces/{tenants.workspace.pk}/media",
        {"file": upload(mp4(seconds=1), "clip.mov"), "alt_text": "A clip"},
        **_auth(tenants.users["editor"]),
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["kind"] == "video"
    assert body["mime_type"] == "video/mp4"  # from the content, not the .mov name
    assert body["video_codec"] == "h264"
    assert body["alt_text"] == "A clip"
    assert body["workspace_id"] == tenants.workspace.pk
    assert [p["code"] for p in body["problems"]["tiktok"]] == ["video_too_short"]


@pytest.mark.django_db
def test_a_bad_upload_names_the_field_and_the_reason(tenants) -> None:
    client, auth = Client(), _auth(tenants.users["editor"])
    url = f"/api/v1/workspaces/{tenants.workspace.pk}/media"
    missing = client.post(url, {}, **auth)
    assert missing.status_code == 422
    assert "multipart/form-data" in missing.json()["errors"]["file"][0]
    renamed = client.post(url, {"file": upload(b"#!/bin/sh\nrm -rf /\n", "photo.png")}, **auth)
    assert renamed.status_code == 422
    assert "not a supported image or video" in renamed.json()["errors"]["file"][0]
    truncated = image_bytes(size=(300, 300), color=(1, 2, 3))
    broken = client.post(url, {"file": upload(truncated[:-40], "cut.png")}, **auth)
    assert broken.status_code == 422
    assert "damaged or incomplete" in broken.json()["detail"]


@pytest.mark.django_db
def test_it_lists_shows_and_describes_media(tenants) -> None:
    client, auth = Client(), _auth(tenants.users["editor"])
    listed = client.get(f"/api/v1/workspaces/{tenants.workspace.pk}/media", **auth).json()
    assert listed["count"] == 1
    assert listed["items"][0]["id"] == tenants.media_asset.pk
    shown = client.get(f"/api/v1/media/{tenants.media_asset.pk}", **auth).json()
    assert shown["original_name"] == "acme.png"
    patched = client.patch(
        f"/api/v1/media/{tenants.media_asset.pk}",
        json.dumps({"alt_text": "A teal rectangle"}),
        content_type="application/json",
        **auth,
    )
    assert patched.status_code == 200
    assert patched.json()["alt_text"] == "A teal rectangle"
    too_long = client.patch(
        f"/api/v1/media/{tenants.media_asset.pk}",
        json.dumps({"alt_text": "a" * 5001}),
        content_type="application/json",
        **auth,
    )
    assert too_long.status_code == 422
    assert "alt_text" in too_long.json()["errors"]


@pytest.mark.django_db
def test_deleting_media_a_post_uses_is_a_conflict(tenants) -> None:
    post = Post.objects.create(workspace=tenants.workspace, author=tenants.users["owner"])
    PostMedia.objects.create(post=post, asset=tenants.media_asset)
    client, auth = Client(), _auth(tenants.users["editor"])
    refused = client.delete(f"/api/v1/media/{tenants.media_asset.pk}", **auth)
    assert refused.status_code == 409
    assert "attached to a post" in refused.json()["detail"]
    PostMedia.objects.filter(post=post).delete()
    assert client.delete(f"/api/v1/media/{tenants.media_asset.pk}", **auth).status_code == 204
    assert not MediaAsset.objects.filter(pk=tenants.media_asset.pk).exists()


@pytest.mark.django_db
def test_a_read_only_token_cannot_upload(tenants) -> None:
    response = Client().post(
        f"/api/v1/workspaces/{tenants.workspace.pk}/media",
        {"file": upload(image_bytes(color="lime"))},
        **_auth(tenants.users["owner"], scopes=("read",)),
    )
    assert response.status_code == 403
    assert MediaAsset.objects.filter(workspace=tenants.workspace).count() == 1


def test_the_upload_is_documented_as_multipart() -> None:
    from chorus.api.root import api

    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    operation = schema["paths"]["/api/v1/workspaces/{workspace_id}/media"]["post"]
    body = operation["requestBody"]["content"]["multipart/form-data"]["schema"]
    assert body["required"] == ["file"]
    assert {str(code) for code in operation["responses"]} >= {"201", "403", "404", "422"}
