"""Media named by URL: fetched once, checked by content, stored only by a real import."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage
from django.db import IntegrityError

from chorus.media.models import MediaAsset
from chorus.media.tests.files import image_bytes
from chorus.publishing.bulk import service, writer
from chorus.publishing.bulk.tests.helpers import accounts, codes, file_server, future, upload
from chorus.publishing.models import Post, PostMedia

PNG = image_bytes(color="red", size=(40, 30))
PNG_2 = image_bytes(color="blue", size=(50, 50))
ROUTES = {
    "/red.png": (200, PNG, {"Content-Type": "image/png"}),
    "/blue.png": (200, PNG_2, {"Content-Type": "image/png"}),
    "/moved": (302, b"", {"Location": "/red.png"}),
    "/page.png": (200, b"<html>not an image</html>", {"Content-Type": "image/png"}),
    "/big.png": (200, PNG, {"Content-Type": "image/png"}),
}


@pytest.fixture
def local(settings, tenants):  # type: ignore[no-untyped-def]
    settings.CHORUS_MEDIA_FETCH_PRIVATE = True
    tenants.more = accounts(tenants.workspace)
    return tenants


def _csv(base: str, *sources: str, alts: str = "") -> str:
    when = f"{future():%Y-%m-%d %H:%M}"
    cells = "|".join(base + s if s.startswith("/") else s for s in sources)
    header = "scheduled_at,accounts,text,media_urls,media_alt_texts"
    return f'{header}\n{when},@acme,Hi,{cells},"{alts}"\n'


@pytest.mark.django_db
def test_a_dry_run_fetches_and_checks_but_stores_nothing(local) -> None:
    with file_server(ROUTES) as base:
        report = service.run(
            local.workspace,
            local.users["owner"],
            upload(_csv(base, "/red.png", "/moved")),
            dry_run=True,
        )
    assert report.ok, report.errors
    assert MediaAsset.objects.filter(workspace=local.workspace).count() == 1  # the fixture's


@pytest.mark.django_db
def test_a_real_import_stores_each_file_once_with_its_alt_text(local) -> None:
    with file_server(ROUTES) as base:
        text = _csv(base, "/red.png", "/blue.png", alts="Red\n---\nBlue")
        report = service.run(local.workspace, local.users["owner"], upload(text), dry_run=False)
        again = service.run(
            local.workspace,
            local.users["owner"],
            upload(text.replace("Hi", "Again")),
            dry_run=False,
        )
    assert report.ok and again.ok, report.errors
    post = Post.objects.get(pk=report.post_ids[0])
    media = [(m.asset.mime_type, m.asset.width, m.alt_text, m.position) for m in post.media.all()]
    assert media == [("image/png", 40, "Red", 0), ("image/png", 50, "Blue", 1)]
    # The same content again is the same asset, not a copy.
    assert MediaAsset.objects.filter(workspace=local.workspace).count() == 3
    assert PostMedia.objects.filter(post_id=again.post_ids[0]).count() == 2


@pytest.mark.django_db
def test_files_that_cannot_be_used_are_row_errors(local, settings) -> None:
    settings.CHORUS_MEDIA_FETCH_MAX_BYTES = len(PNG) - 1
    with file_server(ROUTES) as base:
        text = (
            _csv(base, "/missing.png")
            + f"{future():%Y-%m-%d} 11:00,@acme,Page,{base}/page.png,\n"
            + f"{future():%Y-%m-%d} 12:00,@acme,Big,{base}/big.png,\n"
        )
        report = service.run(local.workspace, local.users["owner"], upload(text), dry_run=True)
    assert codes(report) == [
        (2, "media_urls", "media_http_error"),
        (3, "media_urls", "media_unsupported_media"),
        (4, "media_urls", "media_too_large"),
    ]
    assert "404" in report.errors[0].message


@pytest.mark.django_db
def test_private_addresses_are_not_fetched_unless_allowed(local, settings) -> None:
    settings.CHORUS_MEDIA_FETCH_PRIVATE = False
    with file_server(ROUTES) as base:
        report = service.run(
            local.workspace, local.users["owner"], upload(_csv(base, "/red.png")), dry_run=True
        )
    assert codes(report) == [(2, "media_urls", "media_private_address")]


@pytest.mark.django_db
def test_a_library_file_is_named_by_its_hash(local) -> None:
    asset = local.media_asset
    unknown = _csv("", f"sha256:{'0' * 64}").split("\n", 1)[1].replace("Hi", "Other")
    text = _csv("", f"sha256:{asset.sha256}") + unknown
    report = service.run(local.workspace, local.users["owner"], upload(text), dry_run=True)
    assert codes(report) == [(3, "media_urls", "unknown_media")]
    other = local.other_media_asset
    foreign = service.run(
        local.workspace,
        local.users["owner"],
        upload(_csv("", f"sha256:{other.sha256}")),
        dry_run=True,
    )
    assert codes(foreign) == [(2, "media_urls", "unknown_media")]


@pytest.mark.django_db
def test_files_stored_for_an_import_that_fails_are_removed(local, monkeypatch) -> None:
    def fail(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise IntegrityError("a concurrent change")

    with file_server(ROUTES) as base:
        monkeypatch.setattr(writer.PostRevision.objects, "bulk_create", fail)
        with pytest.raises(IntegrityError):
            service.run(
                local.workspace,
                local.users["owner"],
                upload(_csv(base, "/blue.png")),
                dry_run=False,
            )
    assert not Post.objects.filter(text="Hi").exists()
    assert MediaAsset.objects.filter(workspace=local.workspace).count() == 1
    _dirs, files = default_storage.listdir(f"media/{local.workspace.pk}")
    assert files == [local.media_asset.file.name.rsplit("/", 1)[1]]
