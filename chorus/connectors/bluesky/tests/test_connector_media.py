from __future__ import annotations

import pytest

from chorus.connectors.bluesky.connector import BlueskyConnector
from chorus.connectors.bluesky.tests.posts import media, outgoing, record
from chorus.connectors.errors import Permanent
from chorus.media.tests.files import image_bytes, mp4

connector = BlueskyConnector()


def _ratio(item: dict) -> tuple[int, int]:  # type: ignore[type-arg]
    return item["aspectRatio"]["width"], item["aspectRatio"]["height"]


@pytest.mark.django_db
def test_images_go_up_with_alt_text_and_aspect_ratio(bsky_connected) -> None:
    pictures = [
        media(image_bytes("PNG", (64, 48)), "image/png", "A teal square", width=64, height=48),
        # No size given: read from the file itself.
        media(image_bytes("JPEG", (30, 90)), "image/jpeg", "A tall one"),
    ]
    published = connector.publish(bsky_connected, outgoing("Two", media=pictures), 0, None)
    embed = record(published.remote_id)["value"]["embed"]
    assert embed["$type"] == "app.bsky.embed.images"
    assert [(i["alt"], _ratio(i)) for i in embed["images"]] == [
        ("A teal square", (64, 48)),
        ("A tall one", (30, 90)),
    ]
    assert [i["image"]["mimeType"] for i in embed["images"]] == ["image/png", "image/jpeg"]


@pytest.mark.django_db
def test_a_video_goes_up_as_a_video_embed(bsky_connected) -> None:
    clip = media(mp4(seconds=1, size=(64, 48)), "video/mp4", "A short clip", width=64, height=48)
    published = connector.publish(bsky_connected, outgoing("Watch", media=[clip]), 0, None)
    embed = record(published.remote_id)["value"]["embed"]
    assert embed["$type"] == "app.bsky.embed.video"
    assert embed["alt"] == "A short clip"
    assert _ratio(embed) == (64, 48)
    assert embed["video"]["mimeType"] == "video/mp4"


@pytest.mark.django_db
def test_more_than_four_images_are_refused(bsky_connected) -> None:
    pictures = [media(image_bytes(), "image/png", f"{i}") for i in range(5)]
    with pytest.raises(Permanent):
        connector.publish(bsky_connected, outgoing("Five", media=pictures), 0, None)


@pytest.mark.django_db
def test_a_file_the_network_rejects_fails_with_its_reason(bsky_connected) -> None:
    # A video passed off as an image: the PDS reads the blob's real type and refuses it.
    fake = media(mp4(), "image/jpeg", "not a picture", name="clip.jpg")
    with pytest.raises(Permanent) as raised:
        connector.publish(bsky_connected, outgoing("Fake", media=[fake]), 0, None)
    assert 'Expected "image/*" (got "video/mp4")' in raised.value.message
