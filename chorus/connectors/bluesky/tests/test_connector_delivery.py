"""The Bluesky connector driven by Chorus' delivery engine, as the worker runs it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import httpx
import pytest
from django.utils import timezone

from chorus.connectors.bluesky.connector import BlueskyConnector
from chorus.connectors.bluesky.tests import network
from chorus.connectors.contract import Outgoing
from chorus.connectors.tests.registered import BLUESKY, connectors
from chorus.orgs.models import SocialAccount
from chorus.publishing.delivery import claim
from chorus.publishing.delivery.config import EngineConfig
from chorus.publishing.delivery.engine import deliver
from chorus.publishing.delivery.outgoing import build
from chorus.publishing.models import Delivery, DeliveryState
from chorus.publishing.tests.factories import due_post

pytestmark = pytest.mark.django_db(transaction=True)

CONFIG = EngineConfig(
    lease_seconds=30,
    max_attempts=3,
    backoff_base=5,
    backoff_cap=60,
    check_delay=0,
    concurrency=4,
    poll_seconds=0.05,
)


@pytest.fixture(autouse=True)
def _bluesky(settings) -> Iterator[None]:  # type: ignore[no-untyped-def]
    with connectors(settings, BLUESKY):
        yield


def _run_due() -> list[str]:
    claimed = claim.claim_due("w1", 10, timezone.now(), CONFIG.lease_seconds)
    return [deliver(d, "w1", CONFIG) for d in claimed]


def _texts(account: SocialAccount) -> list[str]:
    answer = httpx.get(
        f"{network.PDS}/xrpc/com.atproto.repo.listRecords",
        params={"repo": account.remote_id, "collection": "app.bsky.feed.post", "reverse": "true"},
    )
    return [r["value"]["text"] for r in answer.json()["records"]]


def test_a_scheduled_thread_is_published_once_with_its_url(bsky_connected) -> None:
    post = due_post([bsky_connected], "First", thread=["Second"], first_comment="Comment")
    assert _run_due() == [DeliveryState.PUBLISHED]
    delivery = post.deliveries.get()
    assert delivery.remote_id.startswith(f"at://{bsky_connected.remote_id}/app.bsky.feed.post/")
    assert delivery.remote_url.startswith(f"https://bsky.app/profile/{bsky_connected.handle}/")
    assert _texts(bsky_connected) == ["First", "Second", "Comment"]


def test_an_unknown_outcome_is_settled_by_finding_the_part(bsky_connected) -> None:
    post = due_post([bsky_connected], "Maybe sent", thread=["Then this"])
    delivery = post.deliveries.get()
    # An earlier attempt wrote part 0, but its answer never came back.
    outgoing: Outgoing = build(delivery)
    lost = BlueskyConnector().publish(bsky_connected, outgoing, 0, None)
    Delivery.objects.filter(pk=delivery.pk).update(must_check=True)
    assert _run_due() == [DeliveryState.PUBLISHED]
    delivery.refresh_from_db()
    assert delivery.remote_id == lost.remote_id
    assert _texts(bsky_connected) == ["Maybe sent", "Then this"]


def test_a_rescheduled_delivery_does_not_post_again_what_a_lost_answer_posted(
    bsky_connected,
) -> None:
    post = due_post([bsky_connected], "Sent once", when=timezone.now() - timedelta(hours=2))
    delivery = post.deliveries.get()
    # An attempt wrote part 0 and its answer was lost; the delivery failed, and then the
    # person moved it and chose "publish now", which rewrites scheduled_for.
    before = build(delivery)
    lost = BlueskyConnector().publish(bsky_connected, before, 0, None)
    now = timezone.now()
    Delivery.objects.filter(pk=delivery.pk).update(
        state=DeliveryState.SCHEDULED, scheduled_for=now, due_at=now, must_check=False
    )
    delivery.refresh_from_db()
    assert build(delivery).scheduled_for != before.scheduled_for
    assert _run_due() == [DeliveryState.PUBLISHED]
    delivery.refresh_from_db()
    assert delivery.remote_id == lost.remote_id
    assert _texts(bsky_connected) == ["Sent once"]


def test_a_revoked_app_password_marks_the_account_for_reconnecting(
    bsky_connected, bsky_account
) -> None:
    network.revoke_app_password(bsky_account)
    # The stored access token still works until it expires; a refresh is what fails.
    session = bsky_connected.credentials["session"].split(":::")
    session[2] = "expired"
    bsky_connected.credentials = {**bsky_connected.credentials, "session": ":::".join(session)}
    bsky_connected.save()
    due_post([bsky_connected], "Hello")
    # The post waits for the account to be reconnected.
    assert _run_due() == [DeliveryState.SCHEDULED]
    bsky_connected.refresh_from_db()
    assert bsky_connected.status == SocialAccount.Status.NEEDS_RECONNECT
    assert "reconnect" in bsky_connected.last_error
    assert _texts(bsky_connected) == []
