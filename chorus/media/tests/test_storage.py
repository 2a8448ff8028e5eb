"""Local disk by default; an S3-compatible bucket when CHORUS_S3_BUCKET is set."""

from __future__ import annotations

from django.utils.module_loading import import_string

from chorus.media.storage import FILESYSTEM, S3, copy_name, media_storage, original_name


def test_local_disk_is_the_default() -> None:
    assert media_storage({}) == {"BACKEND": FILESYSTEM}


def test_an_s3_bucket_is_used_when_named() -> None:
    config = media_storage(
        {
            "CHORUS_S3_BUCKET": "chorus-media",
            "CHORUS_S3_ENDPOINT_URL": "http://127.0.0.1:9000",
            "CHORUS_S3_ACCESS_KEY": "chorus",
            "CHORUS_S3_SECRET_KEY": "secret-for-tests",
            "CHORUS_S3_REGION": "eu-central-1",
            "CHORUS_S3_PATH_STYLE": "true",
        }
    )
    assert config["BACKEND"] == S3
    options = config["OPTIONS"]
    assert options["bucket_name"] == "chorus-media"
    assert options["endpoint_url"] == "http://127.0.0.1:9000"
    assert options["region_name"] == "eu-central-1"
    assert options["addressing_style"] == "path"
    assert options["default_acl"] is None  # private objects
    assert options["file_overwrite"] is False
    # django-storages accepts these options as they are (no request is made).
    storage = import_string(config["BACKEND"])(**options)
    assert storage.bucket_name == "chorus-media"
    assert storage.endpoint_url == "http://127.0.0.1:9000"


def test_optional_s3_settings_are_left_to_boto_when_absent() -> None:
    options = media_storage({"CHORUS_S3_BUCKET": "b"})["OPTIONS"]
    assert "endpoint_url" not in options and "access_key" not in options


def test_names_come_from_content_and_chance_never_from_the_uploader() -> None:
    assert original_name(7, "ab" * 32, ".png") == f"media/7/{'ab' * 32}.png"
    first, second = copy_name(7, "thumbs", ".webp"), copy_name(7, "thumbs", ".webp")
    assert first != second
    assert first.startswith("media/7/thumbs/") and first.endswith(".webp")
