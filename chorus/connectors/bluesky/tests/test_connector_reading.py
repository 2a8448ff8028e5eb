"""The connector's reading methods, through the account's own session (the functions
themselves are tested in test_reading.py)."""

from __future__ import annotations

import pytest

from chorus.connectors.bluesky.connector import BlueskyConnector
from chorus.connectors.bluesky.tests import network
from chorus.connectors.bluesky.tests.posts import outgoing

connector = BlueskyConnector()


@pytest.mark.django_db
def test_a_published_post_reads_back_with_its_counts(bsky_connected) -> None:
    published = connector.publish(bsky_connected, outgoing("Read me back"), 0, None)
    thread = network.eventually(lambda: connector.thread(bsky_connected, published.remote_id))
    assert thread[0].remote_id == published.remote_id
    assert thread[0].text == "Read me back"
    metrics = network.eventually(
        lambda: connector.post_metrics(bsky_connected, [published.remote_id])
    )
    assert metrics[published.remote_id].likes == 0
    profile = network.eventually(
        lambda: (m := connector.profile_metrics(bsky_connected)).posts and m
    )
    assert profile.posts == 1
    assert connector.notifications(bsky_connected).items == []
