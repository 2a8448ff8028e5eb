from __future__ import annotations

import pytest

from chorus.connectors.bluesky.embeds import combine, quote_ref, upload
from chorus.connectors.bluesky.session import client_for
from chorus.connectors.bluesky.tests.posts import pointed_at
from chorus.connectors.errors import Permanent, Retryable, UnknownOutcome


@pytest.mark.django_db
def test_a_blob_over_the_servers_limit_is_refused_naming_the_file(bsky_connected) -> None:
    client = client_for(bsky_connected)
    with pytest.raises(Permanent) as raised:
        upload(client, b"\0" * (60 * 1024 * 1024), "video/mp4", "holiday.mp4")
    assert raised.value.message.startswith("holiday.mp4: ")
    assert raised.value.status == 413


@pytest.mark.django_db
def test_an_upload_without_an_answer_is_only_worth_retrying(
    bsky_connected, silent_server, monkeypatch
) -> None:
    # Blobs are stored by content hash, so sending one again cannot duplicate anything.
    monkeypatch.setattr("chorus.connectors.bluesky.session.TIMEOUT_SECONDS", 0.5)
    client = client_for(pointed_at(bsky_connected, silent_server))
    with pytest.raises(Retryable) as raised:
        upload(client, b"\x89PNG", "image/png", "logo.png")
    assert not isinstance(raised.value, UnknownOutcome)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "target", ["https://example.com/post/1", "at://did:plc:x/app.bsky.feed.like/3k", ""]
)
def test_a_quote_target_that_is_no_post_address_is_refused(bsky_connected, target) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(Permanent) as raised:
        quote_ref(client_for(bsky_connected), target)
    assert raised.value.code == "invalid_quote"


@pytest.mark.django_db
def test_a_quote_of_a_missing_post_is_refused(bsky_connected) -> None:
    missing = f"https://bsky.app/profile/{bsky_connected.handle}/post/3kabcdefghij2"
    with pytest.raises(Permanent) as raised:
        quote_ref(client_for(bsky_connected), missing)
    assert "cannot be found" in raised.value.message


def test_media_and_a_quote_combine_into_record_with_media() -> None:
    ref = {"uri": "at://did:plc:x/app.bsky.feed.post/3k", "cid": "bafy"}
    images = {"$type": "app.bsky.embed.images", "images": []}
    assert combine(None, None) is None
    assert combine(images, None) is images
    assert combine(None, ref) == {"$type": "app.bsky.embed.record", "record": ref}
    assert combine(images, ref) == {
        "$type": "app.bsky.embed.recordWithMedia",
        "record": {"$type": "app.bsky.embed.record", "record": ref},
        "media": images,
    }
