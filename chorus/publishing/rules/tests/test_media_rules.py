"""Per-network media rules: counts, kinds, mixing, required media, and each attachment's
type, bytes, pixels, duration, aspect ratio and alt text."""

from __future__ import annotations

import pytest
from django.utils import translation

from chorus.publishing.rules.media import (
    MediaItem,
    check_item,
    check_media,
    human_size,
    rules_for,
)
from chorus.publishing.rules.media_limits import MastodonInstance
from chorus.publishing.rules.networks import Field, Network
from chorus.publishing.rules.results import ErrorCode


def photo(**kw: object) -> MediaItem:
    values: dict = {"kind": "image", "mime_type": "image/jpeg", "size_bytes": 200_000}
    values.update(width=1080, height=1080)
    values.update(kw)
    return MediaItem(**values)


def video(**kw: object) -> MediaItem:
    values: dict = {"kind": "video", "mime_type": "video/mp4", "size_bytes": 5_000_000}
    values.update(width=1080, height=1920, duration_seconds=30.0)
    values.update(kw)
    return MediaItem(**values)


def gif(**kw: object) -> MediaItem:
    values: dict = {"kind": "gif", "mime_type": "image/gif", "size_bytes": 800_000}
    values.update(width=480, height=270)
    values.update(kw)
    return MediaItem(**values)


def codes(network: str, items: list[MediaItem], **kw: object) -> list[ErrorCode]:
    return [error.code for error in check_media(network, items, **kw).errors]  # type: ignore[arg-type]


def test_a_plain_photo_suits_every_network_that_takes_photos() -> None:
    for network in Network:
        if network is Network.YOUTUBE:
            continue
        assert check_media(network, [photo()]).ok, network


def test_webhooks_and_unknown_networks_take_anything() -> None:
    items = [photo(size_bytes=10**10), video(duration_seconds=10**6)] * 30
    assert check_media("webhook", items).ok
    assert rules_for("webhook") is None


def test_x_takes_four_photos_but_not_five() -> None:
    assert check_media("x", [photo()] * 4).ok
    result = check_media("x", [photo()] * 5)
    (error, images) = result.errors
    assert error.code is ErrorCode.TOO_MANY_MEDIA
    assert (error.start, error.end) == (4, 5)
    assert error.field is Field.MEDIA
    assert images.code is ErrorCode.TOO_MANY_IMAGES
    with translation.override("en"):
        assert error.message == "Too many attachments for X: 5, at most 4."


def test_x_takes_one_video_or_one_gif_alone() -> None:
    assert check_media("x", [video()]).ok
    assert check_media("x", [gif()]).ok
    assert codes("x", [video(), video()]) == [ErrorCode.TOO_MANY_VIDEOS]
    assert codes("x", [photo(), video()]) == [ErrorCode.MEDIA_MIXED]
    assert codes("x", [gif(), video()]) == [ErrorCode.TOO_MANY_VIDEOS]


def test_x_limits_image_and_video_bytes_and_video_length() -> None:
    (error,) = check_media("x", [photo(size_bytes=5_000_001)]).errors
    assert error.code is ErrorCode.MEDIA_TOO_LARGE
    assert error.params["count"] == 5_000_001
    with translation.override("en"):
        assert error.message == "Attachment 1 is too large for X: 5 MB, at most 5 MB."
    assert codes("x", [video(duration_seconds=0.2)]) == [ErrorCode.VIDEO_TOO_SHORT]
    assert codes("x", [video(duration_seconds=1201)]) == [ErrorCode.VIDEO_TOO_LONG]
    assert codes("x", [video(width=4000, height=1000)]) == [ErrorCode.ASPECT_RATIO]


def test_bluesky_images_are_one_megabyte_and_two_thousand_pixels_at_most() -> None:
    assert check_media("bluesky", [photo(size_bytes=1_000_000)]).ok
    assert codes("bluesky", [photo(size_bytes=1_000_001)]) == [ErrorCode.MEDIA_TOO_LARGE]
    (error,) = check_media("bluesky", [photo(width=4000, height=3000)]).errors
    assert error.code is ErrorCode.IMAGE_TOO_BIG
    with translation.override("en"):
        assert error.message == "Image 1 is 4000×3000 pixels; Bluesky takes at most 2000×2000."


def test_bluesky_refuses_animated_gifs_and_takes_one_short_video() -> None:
    assert codes("bluesky", [gif()]) == [ErrorCode.UNSUPPORTED_MEDIA_TYPE]
    assert codes("bluesky", [video(duration_seconds=181)]) == [ErrorCode.VIDEO_TOO_LONG]
    assert codes("bluesky", [video(mime_type="video/webm")]) == [ErrorCode.UNSUPPORTED_MEDIA_TYPE]


def test_bluesky_counts_alt_text_in_graphemes() -> None:
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"  # one grapheme, five code points
    assert check_media("bluesky", [photo(alt_text=family * 2000)]).ok
    (error,) = check_media("bluesky", [photo(alt_text=family * 2001)]).errors
    assert error.code is ErrorCode.ALT_TEXT_TOO_LONG
    assert error.params == {"position": 1, "count": 2001, "limit": 2000}
    # Video alt text has its own, lower, limit.
    assert codes("bluesky", [video(alt_text="a" * 1001)]) == [ErrorCode.ALT_TEXT_TOO_LONG]


def test_mastodon_defaults_and_instance_configuration() -> None:
    assert check_media("mastodon", [photo()] * 4).ok
    assert ErrorCode.TOO_MANY_MEDIA in codes("mastodon", [photo()] * 5)
    assert codes("mastodon", [photo(), gif()]) == [ErrorCode.MEDIA_MIXED]
    assert codes("mastodon", [photo(size_bytes=17_000_000)]) == [ErrorCode.MEDIA_TOO_LARGE]
    assert codes("mastodon", [photo(alt_text="x" * 1501)]) == [ErrorCode.ALT_TEXT_TOO_LONG]

    generous = MastodonInstance.from_configuration(
        {
            "statuses": {"max_media_attachments": 8},
            "media_attachments": {
                "image_size_limit": 40_000_000,
                "supported_mime_types": ["image/jpeg", "video/mp4"],
                "description_limit": "not a number",
            },
        }
    )
    assert generous.max_media_attachments == 8
    assert generous.description_limit == 1500  # kept: the server's value was not a number
    assert check_media("mastodon", [photo(size_bytes=17_000_000)] * 8, mastodon=generous).ok
    assert codes("mastodon", [photo(mime_type="image/png")], mastodon=generous) == [
        ErrorCode.UNSUPPORTED_MEDIA_TYPE
    ]


def test_mastodon_limits_pixels_not_sides() -> None:
    small = MastodonInstance(image_matrix_limit=1_000_000)
    (error,) = check_media("mastodon", [photo(width=2000, height=1000)], mastodon=small).errors
    assert error.code is ErrorCode.IMAGE_TOO_BIG
    assert error.params["max_width"] * error.params["max_height"] <= 1_000_000  # type: ignore[operator]


def test_instagram_needs_media_takes_jpeg_only_within_its_aspect_ratios() -> None:
    (error,) = check_media("instagram", []).errors
    assert error.code is ErrorCode.MEDIA_REQUIRED
    with translation.override("en"):
        assert error.message == "Instagram needs at least one image or video."
    assert check_media("instagram", [photo(width=1080, height=1350)]).ok  # 4:5 exactly
    assert check_media("instagram", [photo(width=1910, height=1000)]).ok  # 1.91:1
    (ratio,) = check_media("instagram", [photo(width=1080, height=1920)]).errors
    assert ratio.code is ErrorCode.ASPECT_RATIO
    with translation.override("en"):
        assert ratio.message == (
            "Attachment 1 has an aspect ratio of 0.56:1; Instagram takes from 4:5 (tallest) "
            "to 1.91:1 (widest)."
        )
    assert codes("instagram", [photo(mime_type="image/png")]) == [ErrorCode.UNSUPPORTED_MEDIA_TYPE]
    assert check_media("instagram", [photo(), video()] * 5).ok  # a mixed carousel of 10
    assert ErrorCode.TOO_MANY_MEDIA in codes("instagram", [photo()] * 11)


def test_tiktok_needs_media_never_mixed_and_videos_of_three_seconds_to_ten_minutes() -> None:
    assert codes("tiktok", []) == [ErrorCode.MEDIA_REQUIRED]
    assert check_media("tiktok", [video(duration_seconds=3)]).ok
    assert codes("tiktok", [video(duration_seconds=2.5)]) == [ErrorCode.VIDEO_TOO_SHORT]
    assert codes("tiktok", [video(duration_seconds=601)]) == [ErrorCode.VIDEO_TOO_LONG]
    assert codes("tiktok", [photo(), video()]) == [ErrorCode.MEDIA_MIXED]
    assert check_media("tiktok", [photo()] * 35).ok


def test_youtube_needs_exactly_one_video() -> None:
    (error,) = check_media("youtube", []).errors
    assert error.code is ErrorCode.VIDEO_REQUIRED
    with translation.override("en"):
        assert error.message == "YouTube needs a video."
    assert check_media("youtube", [video()]).ok
    assert codes("youtube", [photo()]) == [
        ErrorCode.VIDEO_REQUIRED,
        ErrorCode.UNSUPPORTED_MEDIA_TYPE,
    ]


def test_pinterest_needs_an_image_or_a_video() -> None:
    assert codes("pinterest", []) == [ErrorCode.MEDIA_REQUIRED]
    assert check_media("pinterest", [photo(alt_text="a" * 500)]).ok
    assert codes("pinterest", [photo(alt_text="a" * 501)]) == [ErrorCode.ALT_TEXT_TOO_LONG]
    assert codes("pinterest", [video(duration_seconds=3)]) == [ErrorCode.VIDEO_TOO_SHORT]


def test_threads_takes_a_mixed_carousel_of_twenty() -> None:
    assert check_media("threads", [photo(mime_type="image/png"), video()] * 10).ok
    assert codes("threads", [photo()] * 21) == [ErrorCode.TOO_MANY_MEDIA, ErrorCode.TOO_MANY_IMAGES]


def test_linkedin_counts_gifs_as_images_and_refuses_huge_pictures() -> None:
    assert check_media("linkedin", [photo(), gif()]).ok
    assert codes("linkedin", [photo(width=8000, height=6000)]) == [ErrorCode.IMAGE_TOO_BIG]
    assert codes("linkedin", [video(duration_seconds=2)]) == [ErrorCode.VIDEO_TOO_SHORT]


def test_a_count_error_spans_the_attachments_past_the_limit() -> None:
    (error, *_rest) = check_media("pinterest", [photo()] * 7).errors
    assert (error.code, error.start, error.end) == (ErrorCode.TOO_MANY_MEDIA, 5, 7)


def test_each_attachment_error_names_its_position() -> None:
    result = check_media("x", [photo(), photo(size_bytes=9_000_000), photo()])
    (error,) = result.errors
    assert (error.start, error.end, error.params["position"]) == (1, 2, 2)


def test_check_item_ignores_the_rest_of_the_post() -> None:
    assert check_item("youtube", video()) == ()
    assert check_item("webhook", photo(size_bytes=10**12)) == ()
    assert [e.code for e in check_item("bluesky", photo(size_bytes=2_000_000))] == [
        ErrorCode.MEDIA_TOO_LARGE
    ]


def test_messages_are_rendered_when_read_in_the_readers_language() -> None:
    (error,) = check_media("youtube", []).errors
    with translation.override("lo"):
        lao = error.message
    with translation.override("en"):
        english = error.message
    assert "YouTube" in lao and "YouTube" in english


@pytest.mark.parametrize(
    ("size", "text"),
    [(999, "999 B"), (5_000_000, "5 MB"), (1_500_000, "1.5 MB"), (2 * 10**9, "2 GB")],
)
def test_sizes_read_in_the_decimal_units_networks_use(size: int, text: str) -> None:
    assert human_size(size) == text


def test_every_media_error_renders_its_sentence() -> None:
    posts = {
        "x": [[photo()] * 5, [video(), video()], [photo(), video()], [video(duration_seconds=0.1)]],
        "bluesky": [[gif()], [photo(width=5000, size_bytes=2_000_000, alt_text="a" * 2001)]],
        "instagram": [[], [photo(width=1080, height=1920)]],
        "youtube": [[]],
        "tiktok": [[video(duration_seconds=700)]],
    }
    seen = set()
    with translation.override("en"):
        for network, cases in posts.items():
            for items in cases:
                for error in check_media(network, items).errors:
                    assert "%(" not in error.message
                    seen.add(error.code)
    media_codes = {code for code in ErrorCode if code.value not in _TEXT_CODES}
    assert seen == media_codes


_TEXT_CODES = {
    "too_long",
    "too_long_with_content_warning",
    "too_many_bytes",
    "too_many_hashtags",
    "invalid_character",
    "unsplittable",
}
