"""Uploading is all or nothing, files are named by content, and the same file is one asset."""

from __future__ import annotations

import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import DatabaseError

from chorus.media import services
from chorus.media.models import MediaAsset
from chorus.media.probe import MediaRejected
from chorus.media.tests.files import animated_gif, image_bytes, mp4, upload
from chorus.orgs.policy import Forbidden, NotFound
from chorus.publishing.models import Post, PostMedia


def _stored(settings) -> list[str]:  # type: ignore[no-untyped-def]
    from pathlib import Path

    root = Path(settings.MEDIA_ROOT)
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


@pytest.mark.django_db
def test_it_stores_a_png_under_its_hash_never_its_name(tenants, settings) -> None:
    before = set(_stored(settings))
    owner = tenants.users["editor"]
    asset = services.upload(
        tenants.workspace, owner, upload(image_bytes(size=(300, 200)), "../../etc/passwd.png")
    )
    assert asset.kind == "image" and asset.mime_type == "image/png"
    assert (asset.width, asset.height) == (300, 200)
    assert asset.original_name == "passwd.png"
    assert asset.file.name == f"media/{tenants.workspace.pk}/{asset.sha256}.png"
    assert asset.uploaded_by == owner
    new = set(_stored(settings)) - before
    assert asset.file.name in new
    assert asset.thumbnail.name in new and asset.thumbnail.name.endswith(".webp")
    assert all("passwd" not in name for name in new)


@pytest.mark.django_db
def test_the_same_content_twice_is_one_asset(tenants, settings) -> None:
    data = image_bytes(color="navy")
    first = services.upload(tenants.workspace, tenants.users["owner"], upload(data, "a.png"))
    files = _stored(settings)
    again = services.upload(tenants.workspace, tenants.users["owner"], upload(data, "b.png"))
    assert again.pk == first.pk
    assert _stored(settings) == files
    # Another workspace has its own copy.
    other = services.upload(tenants.other_workspace, tenants.other_owner, upload(data, "c.png"))
    assert other.pk != first.pk


@pytest.mark.django_db
def test_it_records_video_facts(tenants) -> None:
    asset = services.upload(
        tenants.workspace,
        tenants.users["owner"],
        upload(mp4(seconds=2, size=(96, 64), audio=True), "clip.mp4"),
    )
    assert (asset.kind, asset.video_codec, asset.audio_codec) == ("video", "h264", "aac")
    assert asset.duration_seconds == pytest.approx(2, abs=0.2)
    assert asset.thumbnail  # the first frame


@pytest.mark.django_db
def test_it_records_an_animated_gif(tenants) -> None:
    asset = services.upload(tenants.workspace, tenants.users["owner"], upload(animated_gif()))
    assert asset.kind == "gif"


@pytest.mark.django_db
def test_a_refused_file_leaves_nothing_behind(tenants, settings) -> None:
    before = _stored(settings)
    with pytest.raises(MediaRejected) as caught:
        services.upload(
            tenants.workspace, tenants.users["owner"], upload(b"hello, world", "photo.jpg")
        )
    assert caught.value.reason == "unsupported_media"
    assert _stored(settings) == before
    assert MediaAsset.objects.filter(workspace=tenants.workspace).count() == 1  # the fixture's


@pytest.mark.django_db
def test_a_failed_database_write_removes_the_stored_files(tenants, settings, monkeypatch) -> None:
    before = _stored(settings)

    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise DatabaseError("disk full")

    monkeypatch.setattr(MediaAsset.objects, "create", broken)
    with pytest.raises(DatabaseError):
        services.upload(tenants.workspace, tenants.users["owner"], upload(image_bytes(color="red")))
    assert _stored(settings) == before


@pytest.mark.django_db
def test_a_concurrent_upload_of_the_same_file_returns_the_winner(
    tenants, settings, monkeypatch
) -> None:
    data = image_bytes(color="olive")
    real_thumbnail = services.thumbnail_bytes
    winners: list[MediaAsset] = []

    def meanwhile(file, kind):  # type: ignore[no-untyped-def]
        # While this upload stores its file, another request records the same content.
        winners.append(
            MediaAsset.objects.create(
                workspace=tenants.workspace,
                file="media/elsewhere.png",
                original_name="first.png",
                kind="image",
                mime_type="image/png",
                size_bytes=len(data),
                sha256=hashlib.sha256(data).hexdigest(),
            )
        )
        return real_thumbnail(file, kind)

    monkeypatch.setattr(services, "thumbnail_bytes", meanwhile)
    before = _stored(settings)
    asset = services.upload(tenants.workspace, tenants.users["owner"], upload(data))
    assert asset.pk == winners[0].pk
    assert _stored(settings) == before  # this upload's own copies were removed again


@pytest.mark.django_db
def test_roles_that_cannot_post_cannot_upload(tenants) -> None:
    with pytest.raises(Forbidden):
        services.upload(tenants.workspace, tenants.users["analyst"], upload(image_bytes()))
    with pytest.raises(NotFound):
        services.upload(tenants.other_workspace, tenants.users["owner"], upload(image_bytes()))


@pytest.mark.django_db
def test_alt_text_has_a_generous_limit(tenants) -> None:
    with pytest.raises(ValidationError) as caught:
        services.update_alt_text(tenants.users["owner"], tenants.media_asset, "a" * 5001)
    assert "alt_text" in caught.value.message_dict
    services.update_alt_text(tenants.users["owner"], tenants.media_asset, "A teal square")
    tenants.media_asset.refresh_from_db()
    assert tenants.media_asset.alt_text == "A teal square"


@pytest.mark.django_db(transaction=True)
def test_deleting_removes_the_files_once_committed(tenants, settings) -> None:
    asset = tenants.media_asset
    names = {asset.file.name, asset.thumbnail.name}
    assert names <= set(_stored(settings))
    services.delete(tenants.users["editor"], asset)
    assert not MediaAsset.objects.filter(pk=asset.pk).exists()
    assert not names & set(_stored(settings))


@pytest.mark.django_db
def test_an_asset_used_by_a_post_cannot_be_deleted(tenants) -> None:
    post = Post.objects.create(workspace=tenants.workspace, author=tenants.users["owner"])
    PostMedia.objects.create(post=post, asset=tenants.media_asset)
    with pytest.raises(services.MediaInUse):
        services.delete(tenants.users["owner"], tenants.media_asset)
    assert MediaAsset.objects.filter(pk=tenants.media_asset.pk).exists()
    assert default_storage.exists(tenants.media_asset.file.name)


@pytest.mark.django_db
def test_problems_name_the_networks_a_file_does_not_suit(tenants) -> None:
    asset = services.upload(
        tenants.workspace,
        tenants.users["owner"],
        upload(image_bytes(size=(1080, 1920)), "tall.png"),
    )
    problems = services.problems(asset)
    assert [p["code"] for p in problems["instagram"]] == [
        "unsupported_media_type",
        "aspect_ratio",
    ]
    assert "youtube" in problems
    assert "mastodon" not in problems and "webhook" not in problems


@pytest.mark.django_db
def test_alt_text_with_a_nul_character_is_refused_before_the_database(tenants) -> None:
    with pytest.raises(ValidationError) as caught:
        services.upload(
            tenants.workspace,
            tenants.users["owner"],
            upload(image_bytes(color="maroon")),
            alt_text="bad\x00text",
        )
    assert "NUL" in caught.value.message_dict["alt_text"][0]


@pytest.mark.django_db(transaction=True)
def test_deleting_a_workspace_removes_its_media_and_files(tenants, settings) -> None:
    from chorus.orgs import services as orgs_services

    asset = tenants.media_asset
    names = {asset.file.name, asset.thumbnail.name}
    orgs_services.delete_workspace(tenants.users["owner"], tenants.workspace)
    assert not MediaAsset.objects.filter(pk=asset.pk).exists()
    assert not names & set(_stored(settings))
    assert tenants.other_media_asset.file.name in _stored(settings)


@pytest.mark.django_db(transaction=True)
def test_deleting_a_workspace_with_posts_using_media(tenants, settings) -> None:
    from chorus.orgs import services as orgs_services

    asset = tenants.media_asset
    post = Post.objects.create(workspace=tenants.workspace, author=tenants.users["owner"])
    PostMedia.objects.create(post=post, asset=asset)
    names = {asset.file.name, asset.thumbnail.name}
    orgs_services.delete_workspace(tenants.users["owner"], tenants.workspace)
    assert not MediaAsset.objects.filter(pk=asset.pk).exists()
    assert not names & set(_stored(settings))
    assert tenants.other_media_asset.file.name in _stored(settings)
