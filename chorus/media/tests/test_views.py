"""The library page, the composer's upload endpoint, and files served through the policy."""

from __future__ import annotations

import pytest
from django.test import Client

from chorus.media.models import MediaAsset
from chorus.media.tests.files import image_bytes, upload


def _ws(t) -> str:  # type: ignore[no-untyped-def]
    return f"/o/{t.org.slug}/w/{t.workspace.slug}/media/"


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_the_composer_gets_json_with_the_asset_and_its_problems(tenants) -> None:
    response = _client(tenants.users["editor"]).post(
        _ws(tenants) + "upload/",
        {"file": upload(image_bytes(size=(1080, 1920)), "story.png"), "alt_text": "A tall one"},
    )
    assert response.status_code == 201
    body = response.json()
    asset = MediaAsset.objects.get(pk=body["id"])
    assert body["kind"] == "image"
    assert (body["width"], body["height"], body["duration"]) == (1080, 1920, None)
    assert body["alt_text"] == "A tall one"
    assert body["thumbnail_url"] == _ws(tenants) + f"{asset.pk}/thumbnail/"
    assert body["url"] == _ws(tenants) + f"{asset.pk}/file/"
    assert "aspect_ratio" in [p["code"] for p in body["problems"]["instagram"]]


@pytest.mark.django_db
def test_a_renamed_text_file_is_refused_with_a_clear_error(tenants) -> None:
    response = _client(tenants.users["editor"]).post(
        _ws(tenants) + "upload/", {"file": upload(b"not a picture", "cat.jpg", "image/jpeg")}
    )
    assert response.status_code == 422
    body = response.json()
    assert "not a supported image or video" in body["errors"]["file"][0]
    assert MediaAsset.objects.filter(workspace=tenants.workspace).count() == 1


@pytest.mark.django_db
def test_an_upload_without_a_file_says_so(tenants) -> None:
    response = _client(tenants.users["editor"]).post(_ws(tenants) + "upload/", {})
    assert response.status_code == 422
    assert response.json()["errors"] == {"file": ["Choose a file to upload."]}


@pytest.mark.django_db
def test_htmx_gets_a_card_or_the_errors_in_place(tenants) -> None:
    client = _client(tenants.users["editor"])
    ok = client.post(
        _ws(tenants) + "upload/",
        {"file": upload(image_bytes(color="gold"), "gold.png")},
        HTTP_HX_REQUEST="true",
    )
    assert ok.status_code == 201
    assert b"gold.png" in ok.content and b"<li" in ok.content
    bad = client.post(
        _ws(tenants) + "upload/",
        {"file": upload(b"<html></html>", "x.png")},
        HTTP_HX_REQUEST="true",
    )
    assert bad.status_code == 422
    assert bad["HX-Retarget"] == "#upload-errors"
    assert b"not a supported image or video" in bad.content


@pytest.mark.django_db
def test_a_plain_form_goes_back_to_the_library(tenants) -> None:
    client = _client(tenants.users["editor"])
    response = client.post(
        _ws(tenants) + "upload/",
        {"file": upload(image_bytes(color="pink"), "pink.png")},
        HTTP_ACCEPT="text/html,application/xhtml+xml",
        follow=True,
    )
    assert response.redirect_chain[-1][0] == _ws(tenants)
    assert "“pink.png” was added." in response.content.decode()


@pytest.mark.django_db
def test_the_library_lists_assets_and_offers_upload_to_those_who_may(tenants) -> None:
    page = _client(tenants.users["analyst"]).get(_ws(tenants))
    assert page.status_code == 200
    html = page.content.decode()
    assert "acme.png" in html
    assert 'name="file"' not in html  # analysts may look, not upload
    editor_page = _client(tenants.users["editor"]).get(_ws(tenants)).content.decode()
    assert 'name="file"' in editor_page
    assert "globex.png" not in editor_page


@pytest.mark.django_db
def test_files_are_served_through_the_policy_with_safe_headers(tenants) -> None:
    asset = tenants.media_asset
    response = _client(tenants.users["analyst"]).get(_ws(tenants) + f"{asset.pk}/file/")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == asset.file.open("rb").read()
    assert "sandbox" in response["Content-Security-Policy"]
    assert response["Cache-Control"].startswith("private")
    thumb = _client(tenants.users["analyst"]).get(_ws(tenants) + f"{asset.pk}/thumbnail/")
    assert thumb["Content-Type"] == "image/webp"
    # Another organisation's asset through this workspace's address: not found.
    other = tenants.other_media_asset
    assert (
        _client(tenants.users["owner"]).get(_ws(tenants) + f"{other.pk}/file/").status_code == 404
    )
    # Nobody logged in: to the login page.
    assert Client().get(_ws(tenants) + f"{asset.pk}/file/").status_code == 302
