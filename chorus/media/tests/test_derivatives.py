"""Copies made to fit a network: resized, re-encoded, upright, without location data."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from chorus.media import services
from chorus.media.derivatives import MediaNotPublishable, derivative_for, make_derivatives
from chorus.media.models import MediaAsset, MediaDerivative
from chorus.media.tests.files import image_bytes, mp4, noisy_jpeg, upload
from chorus.publishing.rules.media_limits import MastodonInstance
from chorus.publishing.rules.results import ErrorCode


def _gps_photo(size: tuple[int, int]) -> bytes:
    exif = Image.Exif()
    exif[0x0112] = 6  # shown rotated a quarter turn
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (17.0, 58.0, 0.0)  # Vientiane
    gps[3], gps[4] = "E", (102.0, 36.0, 0.0)
    return noisy_jpeg(size, exif=exif)


def _open(derivative: MediaDerivative) -> Image.Image:
    with derivative.file.open("rb") as handle:
        image = Image.open(io.BytesIO(handle.read()))
        image.load()
        return image


@pytest.fixture
def big_photo(tenants) -> MediaAsset:  # type: ignore[no-untyped-def]
    # Stored 2400 wide and 1600 high, shown 1600 wide and 2400 high; about 2-3 MB.
    return services.upload(
        tenants.workspace, tenants.users["owner"], upload(_gps_photo((2400, 1600)), "trip.jpg")
    )


@pytest.mark.django_db
def test_a_fitting_file_is_published_as_it_is(tenants) -> None:
    assert derivative_for(tenants.media_asset, "mastodon") == tenants.media_asset
    assert derivative_for(tenants.media_asset, "webhook") == tenants.media_asset


@pytest.mark.django_db
def test_it_shrinks_a_photo_for_bluesky_upright_and_without_gps(big_photo) -> None:
    assert big_photo.size_bytes > 1_000_000
    assert (big_photo.width, big_photo.height) == (1600, 2400)
    copy = derivative_for(big_photo, "bluesky")
    assert isinstance(copy, MediaDerivative)
    assert copy.mime_type == "image/jpeg"
    assert copy.size_bytes <= 1_000_000
    assert copy.width <= 2000 and copy.height <= 2000
    image = _open(copy)
    assert image.format == "JPEG"
    assert image.width < image.height  # turned upright, as it was shown
    exif = image.getexif()
    assert not exif.get_ifd(0x8825)  # no GPS
    assert exif.get(0x0112) in (None, 1)
    assert copy.file.name.startswith(f"media/{big_photo.workspace_id}/derivatives/")


@pytest.mark.django_db
def test_a_copy_is_made_once_per_network(big_photo) -> None:
    first = derivative_for(big_photo, "bluesky")
    again = derivative_for(big_photo, "bluesky")
    assert first.pk == again.pk
    assert MediaDerivative.objects.filter(asset=big_photo).count() == 1


@pytest.mark.django_db
def test_a_png_becomes_a_jpeg_for_instagram(tenants) -> None:
    transparent = image_bytes("PNG", size=(1080, 1080), mode="RGBA", color=(0, 0, 0, 0))
    asset = services.upload(tenants.workspace, tenants.users["owner"], upload(transparent))
    copy = derivative_for(asset, "instagram")
    assert isinstance(copy, MediaDerivative)
    assert copy.mime_type == "image/jpeg"
    image = _open(copy)
    assert image.getpixel((10, 10)) == (255, 255, 255)  # laid on white, not black


@pytest.mark.django_db
def test_what_resizing_cannot_fix_is_refused_with_the_rule(tenants) -> None:
    tall = services.upload(
        tenants.workspace, tenants.users["owner"], upload(image_bytes("JPEG", size=(500, 1500)))
    )
    with pytest.raises(MediaNotPublishable) as caught:
        derivative_for(tall, "instagram")
    assert [e.code for e in caught.value.rule_errors] == [ErrorCode.ASPECT_RATIO]
    assert "aspect ratio" in caught.value.message_dict["media"][0]


@pytest.mark.django_db
def test_videos_are_not_transcoded_but_refused_with_the_reason(tenants) -> None:
    clip = services.upload(
        tenants.workspace, tenants.users["owner"], upload(mp4(seconds=1), "short.mp4")
    )
    with pytest.raises(MediaNotPublishable) as caught:
        derivative_for(clip, "tiktok")
    assert [e.code for e in caught.value.rule_errors] == [ErrorCode.VIDEO_TOO_SHORT]
    assert derivative_for(clip, "x") == clip


@pytest.mark.django_db
def test_the_task_prepares_every_network_it_is_given(big_photo) -> None:
    outcome = make_derivatives.call(big_photo.pk, ["mastodon", "bluesky", "youtube"])
    assert outcome["mastodon"] == "original"
    assert outcome["bluesky"] == "derivative"
    assert "YouTube" in outcome["youtube"]
    assert make_derivatives.call(10**9, ["x"]) == {}


@pytest.mark.django_db(transaction=True)
def test_deleting_an_asset_removes_its_copies_files(big_photo) -> None:
    from django.core.files.storage import default_storage

    copy = derivative_for(big_photo, "bluesky")
    name = copy.file.name
    assert default_storage.exists(name)
    big_photo.delete()
    assert not default_storage.exists(name)


def _instance(**media: int) -> MastodonInstance:
    return MastodonInstance.from_configuration({"media_attachments": media})


@pytest.mark.django_db
def test_each_mastodon_instance_gets_a_copy_fitted_to_its_own_limits(big_photo) -> None:
    roomy = _instance(image_size_limit=1_500_000)
    tight = _instance(image_size_limit=400_000)
    for_roomy = derivative_for(big_photo, "mastodon", mastodon=roomy)
    for_tight = derivative_for(big_photo, "mastodon", mastodon=tight)
    assert isinstance(for_roomy, MediaDerivative) and isinstance(for_tight, MediaDerivative)
    assert for_roomy.pk != for_tight.pk
    assert for_roomy.fitted_to != for_tight.fitted_to
    assert for_roomy.size_bytes <= 1_500_000 and for_tight.size_bytes <= 400_000
    # The tight instance's copy is not the one made for the roomy one, nor the other way.
    assert derivative_for(big_photo, "mastodon", mastodon=roomy).pk == for_roomy.pk
    assert derivative_for(big_photo, "mastodon", mastodon=tight).pk == for_tight.pk


@pytest.mark.django_db
def test_instances_with_the_same_image_limits_share_one_copy(big_photo) -> None:
    first = derivative_for(big_photo, "mastodon", mastodon=_instance(image_size_limit=900_000))
    # Different video limits change nothing about an image copy.
    same = _instance(image_size_limit=900_000, video_size_limit=10_000_000)
    second = derivative_for(big_photo, "mastodon", mastodon=same)
    assert first.pk == second.pk
    assert MediaDerivative.objects.filter(asset=big_photo, network="mastodon").count() == 1


@pytest.mark.django_db
def test_other_networks_keep_one_copy_without_a_limits_key(big_photo) -> None:
    copy = derivative_for(big_photo, "bluesky")
    assert isinstance(copy, MediaDerivative) and copy.fitted_to == ""
