"""Link cards, quotes, threads, first comments and reply controls, read back from the PDS."""

from __future__ import annotations

import pytest
from atproto import Client

from chorus.connectors.bluesky.connector import BlueskyConnector
from chorus.connectors.bluesky.tests import network
from chorus.connectors.bluesky.tests.posts import exists, media, outgoing, record
from chorus.connectors.errors import Permanent
from chorus.media.tests.files import image_bytes
from chorus.publishing.bulk.tests.helpers import file_server

connector = BlueskyConnector()
PAGE = b"""<html><head><meta property="og:title" content="Launch notes">
<meta property="og:description" content="What is new"><meta property="og:image" content="/c.png">
</head></html>"""


def _other_post(account: network.TestAccount, text: str = "Quote me") -> str:
    client = Client(base_url=network.PDS)
    client.login(account.handle, account.app_password, fetch_bsky_profile=False)
    return str(client.send_post(text, profile_identify=account.did).uri)


@pytest.mark.django_db
def test_a_link_gets_a_card_with_title_description_and_thumbnail(bsky_connected, settings) -> None:
    settings.CHORUS_MEDIA_FETCH_PRIVATE = True
    routes = {
        "/notes": (200, PAGE, {"Content-Type": "text/html"}),
        "/c.png": (200, image_bytes("PNG", (120, 63)), {"Content-Type": "image/png"}),
    }
    with file_server(routes) as base:
        post = outgoing("New release", link=f"{base}/notes")
        published = connector.publish(bsky_connected, post, 0, None)
    embed = record(published.remote_id)["value"]["embed"]
    assert embed["$type"] == "app.bsky.embed.external"
    external = embed["external"]
    assert (external["uri"], external["title"], external["description"]) == (
        f"{base}/notes",
        "Launch notes",
        "What is new",
    )
    assert external["thumb"]["mimeType"] == "image/png"


@pytest.mark.django_db
def test_media_win_over_the_link_card(bsky_connected) -> None:
    post = outgoing(
        "Pictures", media=[media(image_bytes(), "image/png", "x")], link="https://example.com/"
    )
    published = connector.publish(bsky_connected, post, 0, None)
    assert record(published.remote_id)["value"]["embed"]["$type"] == "app.bsky.embed.images"


@pytest.mark.django_db
def test_a_quote_by_bsky_app_address_embeds_the_record(bsky_connected, bsky_other) -> None:
    quoted = _other_post(bsky_other)
    address = f"https://bsky.app/profile/{bsky_other.handle}/post/{quoted.rsplit('/', 1)[1]}"
    published = connector.publish(
        bsky_connected, outgoing("Look", options={"quote": address}), 0, None
    )
    embed = record(published.remote_id)["value"]["embed"]
    assert embed["$type"] == "app.bsky.embed.record"
    assert embed["record"]["uri"] == quoted
    assert embed["record"]["cid"] == record(quoted)["cid"]


@pytest.mark.django_db
def test_a_quote_with_images_is_record_with_media(bsky_connected, bsky_other) -> None:
    quoted = _other_post(bsky_other)
    post = outgoing(
        "Look", media=[media(image_bytes(), "image/png", "pic")], options={"quote": quoted}
    )
    published = connector.publish(bsky_connected, post, 0, None)
    embed = record(published.remote_id)["value"]["embed"]
    assert embed["$type"] == "app.bsky.embed.recordWithMedia"
    assert embed["record"]["record"]["uri"] == quoted
    assert embed["media"]["$type"] == "app.bsky.embed.images"


@pytest.mark.django_db
def test_a_thread_replies_to_its_parent_under_the_first_part(bsky_connected) -> None:
    post = outgoing("1/3", "2/3", "3/3", first_comment="More at the link")
    first = connector.publish(bsky_connected, post, 0, None)
    second = connector.publish(bsky_connected, post, 1, first)
    third = connector.publish(bsky_connected, post, 2, second)
    comment = connector.comment(bsky_connected, post, third)
    root = {"uri": first.remote_id, "cid": record(first.remote_id)["cid"]}
    assert "reply" not in record(first.remote_id)["value"]
    for published, parent in ((second, first), (third, second), (comment, third)):
        reply = record(published.remote_id)["value"]["reply"]
        assert {k: reply["root"][k] for k in ("uri", "cid")} == root
        assert reply["parent"]["uri"] == parent.remote_id
        assert reply["parent"]["cid"] == record(parent.remote_id)["cid"]
    assert record(comment.remote_id)["value"]["text"] == "More at the link"
    assert len({first.remote_id, second.remote_id, third.remote_id, comment.remote_id}) == 4


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("choice", "rules"),
    [
        ("nobody", []),
        (
            "mentioned, followers",
            ["app.bsky.feed.threadgate#mentionRule", "app.bsky.feed.threadgate#followerRule"],
        ),
        ("following", ["app.bsky.feed.threadgate#followingRule"]),
    ],
)
def test_reply_controls_write_a_threadgate_beside_the_post(bsky_connected, choice, rules) -> None:  # type: ignore[no-untyped-def]
    post = outgoing("Gated", "second part", options={"reply_control": choice})
    first = connector.publish(bsky_connected, post, 0, None)
    second = connector.publish(bsky_connected, post, 1, first)
    gate = record(first.remote_id, "app.bsky.feed.threadgate")
    assert gate["uri"].rsplit("/", 1)[1] == first.remote_id.rsplit("/", 1)[1]
    assert gate["value"]["post"] == first.remote_id
    assert [rule["$type"] for rule in gate["value"]["allow"]] == rules
    # Only a thread's root carries a threadgate.
    assert not exists(second.remote_id, "app.bsky.feed.threadgate")


@pytest.mark.django_db
def test_everyone_may_reply_without_a_threadgate(bsky_connected) -> None:
    first = connector.publish(
        bsky_connected, outgoing("Open", options={"reply_control": "everyone"}), 0, None
    )
    assert not exists(first.remote_id, "app.bsky.feed.threadgate")


@pytest.mark.django_db
def test_an_unknown_reply_control_is_refused_before_anything_is_written(bsky_connected) -> None:
    post = outgoing("Gated", options={"reply_control": "friends"})
    with pytest.raises(Permanent) as raised:
        connector.publish(bsky_connected, post, 0, None)
    assert "friends" in raised.value.message
    assert connector.find(bsky_connected, post, 0) is None
