from __future__ import annotations

import pytest

from chorus.connectors.bluesky.connector import BlueskyConnector
from chorus.connectors.bluesky.tests.posts import outgoing, record
from chorus.connectors.contract import Capability
from chorus.connectors.errors import Permanent

connector = BlueskyConnector()


def _slice(text: str, facet: dict) -> str:  # type: ignore[type-arg]
    data = text.encode()
    return data[facet["index"]["byteStart"] : facet["index"]["byteEnd"]].decode()


def test_it_declares_what_it_does() -> None:
    assert connector.network == "bluesky"
    for capability in (Capability.LOOKUP, Capability.REPLY_CONTROLS, Capability.FIRST_COMMENT):
        assert capability in connector.capabilities
    assert Capability.IDEMPOTENT not in connector.capabilities


@pytest.mark.django_db
def test_text_gets_link_mention_and_tag_facets_at_byte_offsets(bsky_connected, bsky_other) -> None:
    text = (
        f"ສະບາຍດີ 🎉 @{bsky_other.handle} read https://example.com/a?b=1, "
        "tell @nobody-at-all.test #ChorusLaunch"
    )
    published = connector.publish(bsky_connected, outgoing(text), 0, None)
    value = record(published.remote_id)["value"]
    assert value["text"] == text
    features = [(f["features"][0]["$type"], _slice(text, f)) for f in value["facets"]]
    assert features == [
        ("app.bsky.richtext.facet#mention", f"@{bsky_other.handle}"),
        ("app.bsky.richtext.facet#link", "https://example.com/a?b=1"),
        ("app.bsky.richtext.facet#tag", "#ChorusLaunch"),
    ]
    mention, link, tag = (f["features"][0] for f in value["facets"])
    assert mention["did"] == bsky_other.did
    assert link["uri"] == "https://example.com/a?b=1"
    assert tag["tag"] == "ChorusLaunch"
    assert published.remote_id.startswith(f"at://{bsky_connected.remote_id}/app.bsky.feed.post/")
    rkey = published.remote_id.rsplit("/", 1)[1]
    assert published.remote_url == (f"https://bsky.app/profile/{bsky_connected.handle}/post/{rkey}")


@pytest.mark.django_db
def test_languages_come_from_the_language_option(bsky_connected) -> None:
    published = connector.publish(
        bsky_connected, outgoing("ສະບາຍດີ hello", options={"language": "lo, en"}), 0, None
    )
    assert record(published.remote_id)["value"]["langs"] == ["lo", "en"]


@pytest.mark.django_db
def test_text_over_the_limit_is_refused_with_the_servers_reason(bsky_connected) -> None:
    with pytest.raises(Permanent) as raised:
        connector.publish(bsky_connected, outgoing("x" * 301), 0, None)
    assert "text" in raised.value.message.lower()
