"""The connector driven by Chorus' delivery engine, as the worker runs it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.utils import timezone

from chorus.connectors import registry
from chorus.connectors.mastodon.tests.conftest import serve
from chorus.orgs.models import SocialAccount
from chorus.publishing.delivery import claim
from chorus.publishing.delivery.config import EngineConfig
from chorus.publishing.delivery.engine import deliver
from chorus.publishing.models import AccountQueue, Delivery, DeliveryState
from chorus.publishing.tests.factories import due_post

pytestmark = pytest.mark.django_db(transaction=True)

CONNECTOR = "chorus.connectors.mastodon.connector.MastodonConnector"
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
def _mastodon_connector(settings) -> Iterator[None]:  # type: ignore[no-untyped-def]
    settings.CHORUS_CONNECTORS = [*settings.CHORUS_CONNECTORS, CONNECTOR]
    registry._connectors.cache_clear()
    yield
    registry._connectors.cache_clear()


def _run_due() -> list[str]:
    claimed = claim.claim_due("w1", 10, timezone.now(), CONFIG.lease_seconds)
    return [deliver(d, "w1", CONFIG) for d in claimed]


def _due_again(delivery: Delivery) -> None:
    Delivery.objects.filter(pk=delivery.pk).update(due_at=timezone.now() - timedelta(seconds=1))
    AccountQueue.objects.filter(account_id=delivery.account_id).update(throttled_until=None)


def test_a_thread_survives_a_server_error_and_is_posted_once(account, replay) -> None:
    serve(replay, "unavailable", "POST", "/api/v1/statuses", status=503)
    replay.replay("test_status_reply", "POST /api/v1/statuses")
    replay.replay("test_toot", "POST /api/v1/statuses")
    post = due_post([account], "Toot, finally!", thread=["same!"], first_comment="More below")
    delivery = post.deliveries.get()

    assert _run_due() == [DeliveryState.RETRYING]
    _due_again(delivery)
    assert _run_due() == [DeliveryState.PUBLISHED]

    delivery.refresh_from_db()
    assert delivery.remote_id == "117020583245459824"
    assert delivery.remote_url == f"{replay.url}/@mastodonpy_test_2/117020583245459824"
    sent = replay.requests_to("POST", "/api/v1/statuses")
    key = delivery.idempotency_key
    assert [r.headers["idempotency-key"] for r in sent] == [
        f"{key}-0",
        f"{key}-0",
        f"{key}-1",
        f"{key}-comment",
    ]
    assert sent[2].form()["in_reply_to_id"] == ["117020583245459824"]
    assert sent[3].form()["in_reply_to_id"] == ["117020583245459824"]


def test_a_revoked_token_marks_the_account_for_reconnecting(account, replay) -> None:
    serve(replay, "invalid_token", "POST", "/api/v1/statuses", status=401)
    due_post([account], "Hello")
    # The post waits for the account to be reconnected.
    assert _run_due() == [DeliveryState.SCHEDULED]
    assert _run_due() == []
    account.refresh_from_db()
    assert account.status == SocialAccount.Status.NEEDS_RECONNECT
    assert "The access token is invalid" in account.last_error
