"""A Mastodon delivery whose attempt got no answer is settled by the engine without
posting twice: by looking the part up among the account's statuses, and, when that
cannot tell, by resending only while Mastodon still remembers the Idempotency-Key
(an hour)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from chorus.connectors import registry
from chorus.connectors.contract import Capability
from chorus.connectors.mastodon import client as client_module
from chorus.connectors.mastodon import lookup
from chorus.connectors.mastodon.connector import MastodonConnector
from chorus.connectors.mastodon.tests.conftest import serve
from chorus.connectors.mastodon.tests.replay import ReplayServer, fixture
from chorus.publishing.delivery import claim
from chorus.publishing.delivery.config import EngineConfig
from chorus.publishing.delivery.engine import deliver
from chorus.publishing.models import (
    AccountQueue,
    AttemptOutcome,
    Delivery,
    DeliveryAttempt,
    DeliveryState,
)
from chorus.publishing.tests.factories import due_post

pytestmark = pytest.mark.django_db(transaction=True)

CONNECTOR = "chorus.connectors.mastodon.connector.MastodonConnector"
WITHOUT_LOOKUP = "chorus.connectors.mastodon.tests.test_exactly_once.WithoutLookup"
OWN_STATUSES = "/api/v1/accounts/117020565966271181/statuses"
STATUSES = "/api/v1/statuses"
CONFIG = EngineConfig(
    lease_seconds=30,
    max_attempts=5,
    backoff_base=5,
    backoff_cap=60,
    check_delay=0,
    concurrency=4,
    poll_seconds=0.05,
)


class WithoutLookup(MastodonConnector):
    """The connector as it would be without reading the account's statuses: only the
    Idempotency-Key keeps a resend single."""

    capabilities = MastodonConnector.capabilities - {Capability.LOOKUP}


def _use(settings: Any, path: str) -> None:
    settings.CHORUS_CONNECTORS = [
        *[c for c in settings.CHORUS_CONNECTORS if "mastodon" not in c],
        path,
    ]
    registry._connectors.cache_clear()


@pytest.fixture(autouse=True)
def _mastodon_connector(settings, monkeypatch) -> Iterator[None]:  # type: ignore[no-untyped-def]
    _use(settings, CONNECTOR)
    # A status post that gets no answer within this is an unknown outcome.
    monkeypatch.setattr(client_module, "REQUEST_TIMEOUT", 0.5)
    yield
    registry._connectors.cache_clear()


def _run_due() -> list[str]:
    claimed = claim.claim_due("w1", 10, timezone.now(), CONFIG.lease_seconds)
    return [deliver(d, "w1", CONFIG) for d in claimed]


def _due_again(delivery: Delivery) -> None:
    Delivery.objects.filter(pk=delivery.pk).update(due_at=timezone.now() - timedelta(seconds=1))
    AccountQueue.objects.filter(account_id=delivery.account_id).update(throttled_until=None)


def _age(delivery: Delivery, by: timedelta) -> None:
    """Make every attempt so far `by` older (an hour cannot pass in a test)."""
    for attempt in DeliveryAttempt.objects.filter(delivery=delivery):
        DeliveryAttempt.objects.filter(pk=attempt.pk).update(started_at=attempt.started_at - by)


def _no_answer(replay: ReplayServer) -> None:
    replay.add("POST", STATUSES, json_body={}, stall_seconds=30)


def _status(status_id: str, content: str, *, reply_to: str | None = None) -> dict[str, Any]:
    """A Status (https://docs.joinmastodon.org/entities/Status/) of the account, made now."""
    base = fixture("account_statuses")["body"][2]
    return {
        **base,
        "id": status_id,
        "content": content,
        "in_reply_to_id": reply_to,
        "created_at": timezone.now().isoformat().replace("+00:00", "Z"),
        "url": f"http://localhost:3000/@mastodonpy_test/{status_id}",
    }


def _doubtful(account: Any, replay: ReplayServer, *texts: str) -> Delivery:
    post = due_post([account], texts[0], thread=list(texts[1:]) or None)
    delivery = post.deliveries.get()
    assert _run_due() == [DeliveryState.UNKNOWN]
    delivery.refresh_from_db()
    assert delivery.must_check
    return delivery


def test_a_part_found_on_the_account_is_recorded_not_sent_again(account, replay) -> None:
    _no_answer(replay)
    delivery = _doubtful(account, replay, "Hello Mastodon")
    # Long after Mastodon forgot the key: only the lookup can tell.
    _age(delivery, timedelta(hours=2))
    replay.add(
        "GET",
        OWN_STATUSES,
        json_body=[_status("117020800000000010", "<p>Hello Mastodon</p>")],
    )
    _due_again(delivery)
    assert _run_due() == [DeliveryState.PUBLISHED]
    delivery.refresh_from_db()
    assert delivery.remote_id == "117020800000000010"
    assert len(replay.requests_to("POST", STATUSES)) == 1
    assert AttemptOutcome.FOUND in set(delivery.log.values_list("outcome", flat=True))


def test_a_part_missing_from_the_account_is_sent_again(account, replay) -> None:
    _no_answer(replay)
    replay.replay("test_toot", "POST /api/v1/statuses")
    delivery = _doubtful(account, replay, "Hello Mastodon")
    _age(delivery, timedelta(hours=2))
    older = {
        **_status("117020700000000001", "<p>Hello Mastodon</p>"),
        "created_at": (timezone.now() - timedelta(days=3)).isoformat(),
    }
    replay.add(
        "GET", OWN_STATUSES, json_body=[_status("117020800000000011", "<p>Other</p>"), older]
    )
    _due_again(delivery)
    assert _run_due() == [DeliveryState.PUBLISHED]
    delivery.refresh_from_db()
    assert delivery.remote_id == "117020585846976096"
    keys = [r.headers["idempotency-key"] for r in replay.requests_to("POST", STATUSES)]
    assert keys == [f"{delivery.idempotency_key}-0"] * 2


def test_a_thread_resumes_after_the_part_found_replying_to_the_one_before(account, replay) -> None:
    replay.replay("test_toot", "POST /api/v1/statuses")
    _no_answer(replay)
    delivery = _doubtful(account, replay, "First", "Second")
    first = delivery.progress[0]["id"]
    assert first == "117020585846976096"
    _age(delivery, timedelta(hours=2))
    replay.add(
        "GET",
        OWN_STATUSES,
        json_body=[
            _status("117020800000000013", "<p>Second</p>", reply_to=first),
            # Same text, answering something else: not this thread's part.
            _status("117020800000000012", "<p>Second</p>", reply_to="117020000000000001"),
            _status(first, "<p>First</p>"),
        ],
    )
    _due_again(delivery)
    assert _run_due() == [DeliveryState.PUBLISHED]
    delivery.refresh_from_db()
    assert [p["id"] for p in delivery.progress] == [first, "117020800000000013"]
    assert len(replay.requests_to("POST", STATUSES)) == 2


def _too_busy_to_search(replay: ReplayServer) -> None:
    busy = [
        _status(str(117020900000000000 + n), "<p>Something else</p>")
        for n in range(lookup.PAGE_SIZE)
    ]
    replay.add("GET", OWN_STATUSES, json_body=busy)


def test_an_old_doubt_the_lookup_cannot_settle_is_not_resent(account, replay) -> None:
    _no_answer(replay)
    delivery = _doubtful(account, replay, "Hello Mastodon")
    _age(delivery, timedelta(hours=2))
    _too_busy_to_search(replay)
    _due_again(delivery)
    assert _run_due() == [DeliveryState.FAILED]
    delivery.refresh_from_db()
    assert delivery.last_error_code == "unconfirmed"
    assert "60 minutes" in delivery.last_error
    assert len(replay.requests_to("POST", STATUSES)) == 1


def test_a_recent_doubt_the_lookup_cannot_settle_is_resent_with_the_same_key(
    account, replay
) -> None:
    _no_answer(replay)
    replay.replay("test_toot", "POST /api/v1/statuses")
    delivery = _doubtful(account, replay, "Hello Mastodon")
    _too_busy_to_search(replay)
    _due_again(delivery)
    assert _run_due() == [DeliveryState.PUBLISHED]
    keys = [r.headers["idempotency-key"] for r in replay.requests_to("POST", STATUSES)]
    assert keys == [f"{delivery.idempotency_key}-0"] * 2


def test_a_first_comment_in_doubt_past_the_window_is_not_resent(account, replay) -> None:
    # The first comment is never looked up: only its key keeps it single.
    replay.replay("test_toot", "POST /api/v1/statuses")
    _no_answer(replay)
    post = due_post([account], "Hello Mastodon", first_comment="Link below")
    delivery = post.deliveries.get()
    assert _run_due() == [DeliveryState.UNKNOWN]
    _age(delivery, timedelta(hours=2))
    _due_again(delivery)
    assert _run_due() == [DeliveryState.FAILED]
    delivery.refresh_from_db()
    assert delivery.last_error_code == "unconfirmed"
    assert len(replay.requests_to("POST", STATUSES)) == 2
    assert not replay.requests_to("GET", OWN_STATUSES)


# Without lookup: the window alone -------------------------------------------------------


def test_without_lookup_a_doubt_older_than_the_window_fails_unconfirmed(
    account, replay, settings
) -> None:
    _use(settings, WITHOUT_LOOKUP)
    _no_answer(replay)
    delivery = _doubtful(account, replay, "Hello Mastodon")
    _age(delivery, timedelta(minutes=61))
    _due_again(delivery)
    assert _run_due() == [DeliveryState.FAILED]
    delivery.refresh_from_db()
    assert delivery.last_error_code == "unconfirmed"
    assert len(replay.requests_to("POST", STATUSES)) == 1


def test_without_lookup_a_doubt_within_the_window_is_resent(account, replay, settings) -> None:
    _use(settings, WITHOUT_LOOKUP)
    _no_answer(replay)
    replay.replay("test_toot", "POST /api/v1/statuses")
    delivery = _doubtful(account, replay, "Hello Mastodon")
    _age(delivery, timedelta(minutes=20))
    _due_again(delivery)
    assert _run_due() == [DeliveryState.PUBLISHED]
    assert len(replay.requests_to("POST", STATUSES)) == 2


def test_without_lookup_the_doubt_outlives_a_failed_resend(account, replay, settings) -> None:
    """A resend that fails with a server error leaves the first attempt's status maybe
    on the instance; the attempt after the backoff must still mind the window."""
    _use(settings, WITHOUT_LOOKUP)
    _no_answer(replay)
    serve(replay, "unavailable", "POST", STATUSES, status=503)
    delivery = _doubtful(account, replay, "Hello Mastodon")
    _due_again(delivery)
    assert _run_due() == [DeliveryState.RETRYING]
    delivery.refresh_from_db()
    assert delivery.must_check
    _age(delivery, timedelta(hours=2))
    _due_again(delivery)
    assert _run_due() == [DeliveryState.FAILED]
    delivery.refresh_from_db()
    assert delivery.last_error_code == "unconfirmed"
    assert len(replay.requests_to("POST", STATUSES)) == 2


def test_a_delivery_that_failed_in_doubt_is_checked_when_retried(account, replay) -> None:
    _no_answer(replay)
    post = due_post([account], "Hello Mastodon")
    delivery = post.deliveries.get()
    claimed = claim.claim_due("w1", 10, timezone.now(), CONFIG.lease_seconds)
    one_try = EngineConfig(**{**CONFIG.__dict__, "max_attempts": 1})
    assert [deliver(d, "w1", one_try) for d in claimed] == [DeliveryState.FAILED]
    delivery.refresh_from_db()
    assert delivery.must_check
