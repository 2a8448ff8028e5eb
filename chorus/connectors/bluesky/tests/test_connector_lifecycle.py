"""Exactly once (record keys, find), deleting, and what failures become."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime

import httpx
import pytest
from atproto import Session

from chorus.connectors.bluesky.connector import BlueskyConnector, record_key, tid
from chorus.connectors.bluesky.tests import network
from chorus.connectors.bluesky.tests.posts import exists, outgoing, pointed_at, record
from chorus.connectors.contract import Part
from chorus.connectors.errors import Permanent, Retryable, UnknownOutcome
from chorus.orgs.models import SocialAccount

connector = BlueskyConnector()
TID = r"^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$"


def _posts(account: SocialAccount) -> list[str]:
    answer = httpx.get(
        f"{network.PDS}/xrpc/com.atproto.repo.listRecords",
        params={"repo": account.remote_id, "collection": "app.bsky.feed.post", "limit": 100},
    )
    return [r["uri"] for r in answer.json()["records"]]


def test_record_keys_are_tids_fixed_by_the_delivery_and_the_part() -> None:
    post = outgoing("a", "b", created_at="2026-03-01T09:00:00+00:00")
    keys = [record_key(post, slot) for slot in range(3)]
    assert all(re.match(TID, key) for key in keys)
    assert keys == [record_key(post, slot) for slot in range(3)]  # the same on a retry
    assert keys == sorted(keys) and len(set(keys)) == 3  # thread parts in order
    other = outgoing("a", created_at="2026-03-01T09:00:00+00:00")
    assert record_key(other, 0) not in keys
    # The key's time is the delivery's creation time, so keys sort by time.
    start = datetime(2026, 3, 1, 9, tzinfo=UTC).timestamp() * 1_000_000
    assert tid(int(start), 0) <= keys[0] < tid(int(start) + 1_000_000, 0)
    undated = outgoing("a", created_at="")
    assert record_key(undated, 0) == record_key(undated, 0)


def test_rescheduling_does_not_change_the_record_keys() -> None:
    post = outgoing("a", "b", scheduled_for="2026-03-01T09:00:00+00:00")
    keys = [record_key(post, slot) for slot in range(3)]
    for when in ("2026-03-05T18:30:00+00:00", ""):  # moved, or published now
        moved = replace(post, scheduled_for=when)
        assert [record_key(moved, slot) for slot in range(3)] == keys


@pytest.mark.django_db
def test_find_answers_for_a_published_part_and_not_for_another(bsky_connected) -> None:
    post = outgoing("Findable", "second")
    published = connector.publish(bsky_connected, post, 0, None)
    found = connector.find(bsky_connected, post, 0)
    assert found is not None and found.remote_id == published.remote_id
    assert found.remote_url == published.remote_url
    assert connector.find(bsky_connected, post, 1) is None
    assert connector.find(bsky_connected, outgoing("never sent"), 0) is None


@pytest.mark.django_db
def test_find_reaches_past_newer_posts(bsky_connected) -> None:
    old = outgoing("Made long ago", created_at="2025-01-01T00:00:00+00:00")
    published = connector.publish(bsky_connected, old, 0, None)
    for n in range(3):
        connector.publish(bsky_connected, outgoing(f"newer {n}"), 0, None)
    found = connector.find(bsky_connected, old, 0)
    assert found is not None and found.remote_id == published.remote_id


@pytest.mark.django_db
def test_publishing_the_same_part_again_gives_the_same_post(bsky_connected) -> None:
    post = outgoing("Once only", options={"reply_control": "nobody"})
    first = connector.publish(bsky_connected, post, 0, None)
    again = connector.publish(bsky_connected, post, 0, None)
    assert again.remote_id == first.remote_id
    assert _posts(bsky_connected) == [first.remote_id]


@pytest.mark.django_db
def test_a_post_under_the_key_with_other_text_is_not_taken_for_the_part(bsky_connected) -> None:
    # Two deliveries whose keys collide (or this one published before with other text).
    first = outgoing("The post that holds the key")
    first_published = connector.publish(bsky_connected, first, 0, None)
    clash = replace(first, parts=[Part(text="Another post")])
    with pytest.raises(Permanent) as raised:
        connector.publish(bsky_connected, clash, 0, None)
    assert raised.value.code == "record_key_taken"
    assert first_published.remote_id in raised.value.message
    with pytest.raises(Permanent):
        connector.find(bsky_connected, clash, 0)
    assert _posts(bsky_connected) == [first_published.remote_id]
    assert record(first_published.remote_id)["value"]["text"] == "The post that holds the key"


@pytest.mark.django_db
def test_delete_removes_the_post_and_its_threadgate(bsky_connected) -> None:
    post = outgoing("Short-lived", options={"reply_control": "nobody"})
    published = connector.publish(bsky_connected, post, 0, None)
    assert exists(published.remote_id, "app.bsky.feed.threadgate")
    connector.delete(bsky_connected, published.remote_id)
    assert not exists(published.remote_id)
    assert not exists(published.remote_id, "app.bsky.feed.threadgate")
    connector.delete(bsky_connected, published.remote_id)  # again: nothing left to do
    assert connector.find(bsky_connected, post, 0) is None


@pytest.mark.django_db
def test_delete_refuses_what_is_not_a_post_uri(bsky_connected) -> None:
    with pytest.raises(Permanent):
        connector.delete(bsky_connected, "https://bsky.app/profile/x/post/y")


@pytest.mark.django_db
def test_a_rejected_access_token_is_renewed_and_the_call_made_again(bsky_connected) -> None:
    session = Session.decode(bsky_connected.credentials["session"])
    head, payload, _signature = session.access_jwt.split(".")
    session.access_jwt = f"{head}.{payload}.c2lnbmF0dXJl"  # unexpired, but not the server's
    bsky_connected.credentials = {**bsky_connected.credentials, "session": session.export()}
    bsky_connected.save()
    published = connector.publish(bsky_connected, outgoing("After renewal"), 0, None)
    assert record(published.remote_id)["value"]["text"] == "After renewal"
    bsky_connected.refresh_from_db()
    stored = Session.decode(bsky_connected.credentials["session"])
    assert stored.access_jwt != session.access_jwt


@pytest.mark.django_db
def test_a_write_without_an_answer_is_an_unknown_outcome(
    bsky_connected, silent_server, monkeypatch
) -> None:
    monkeypatch.setattr("chorus.connectors.bluesky.session.TIMEOUT_SECONDS", 0.5)
    account = pointed_at(bsky_connected, silent_server)
    with pytest.raises(UnknownOutcome):
        connector.delete(account, f"at://{account.remote_id}/app.bsky.feed.post/3kabcdefghij2")
    with pytest.raises(Retryable):  # a read is only worth trying again
        connector.find(account, outgoing("x"), 0)


@pytest.mark.django_db
def test_a_server_that_cannot_be_reached_is_worth_retrying(bsky_connected) -> None:
    account = pointed_at(bsky_connected, "http://127.0.0.1:9")
    with pytest.raises(Retryable) as raised:
        connector.publish(account, outgoing("x"), 0, None)
    assert not isinstance(raised.value, UnknownOutcome)
