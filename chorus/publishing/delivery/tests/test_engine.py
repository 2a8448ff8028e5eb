from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from chorus.connectors.webhook.tests.receiver import Faults, Receiver
from chorus.orgs.models import SocialAccount
from chorus.publishing import signals
from chorus.publishing.delivery import claim
from chorus.publishing.delivery.config import EngineConfig
from chorus.publishing.delivery.engine import deliver
from chorus.publishing.models import (
    AccountQueue,
    AttemptOutcome,
    Delivery,
    DeliveryState,
    PostState,
)
from chorus.publishing.tests.factories import due_post, webhook_account

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


def run_due(worker: str = "w1", limit: int = 10) -> list[str]:
    claimed = claim.claim_due(worker, limit, timezone.now(), CONFIG.lease_seconds)
    return [deliver(d, worker, CONFIG) for d in claimed]


def make_due_again(delivery: Delivery) -> None:
    Delivery.objects.filter(pk=delivery.pk).update(due_at=timezone.now() - timedelta(seconds=1))
    AccountQueue.objects.filter(account_id=delivery.account_id).update(throttled_until=None)


def test_it_publishes_a_due_post_once_and_logs_the_attempt(tenants) -> None:
    with Receiver() as receiver:
        account = webhook_account(tenants.workspace, receiver.credentials())
        post = due_post([account], "Launch day 🚀 ສະບາຍດີ")
        assert run_due() == [DeliveryState.PUBLISHED]
        assert run_due() == []
    delivery = post.deliveries.get()
    assert delivery.remote_id == f"{delivery.idempotency_key}-0"
    assert delivery.remote_url.startswith("https://example.test/p/")
    assert receiver.count() == 1 and receiver.duplicates() == {}
    payload = next(iter(receiver.arrivals.values()))[0].payload
    assert payload["text"] == "Launch day 🚀 ສະບາຍດີ"
    post.refresh_from_db()
    assert post.state == PostState.PUBLISHED and post.published_at is not None
    account.refresh_from_db()
    assert account.last_success_at is not None
    attempt = delivery.log.get()
    assert attempt.outcome == AttemptOutcome.PUBLISHED and attempt.finished_at


def test_it_publishes_a_thread_in_order_with_a_first_comment(tenants) -> None:
    with Receiver() as receiver:
        account = webhook_account(tenants.workspace, receiver.credentials())
        post = due_post([account], "1/3", thread=["2/3", "3/3"], first_comment="Link below")
        assert run_due() == [DeliveryState.PUBLISHED]
    key = post.deliveries.get().idempotency_key
    payloads = {k: v[0].payload for k, v in receiver.arrivals.items()}
    assert [payloads[f"{key}-{i}"]["text"] for i in range(3)] == ["1/3", "2/3", "3/3"]
    assert payloads[f"{key}-1"]["reply_to"] == f"{key}-0"
    assert payloads[f"{key}-2"]["reply_to"] == f"{key}-1"
    assert payloads[f"{key}-comment"]["reply_to"] == f"{key}-0"


def test_a_server_error_backs_off_then_succeeds(tenants) -> None:
    with Receiver(Faults(server_error=1.0)) as receiver:
        account = webhook_account(tenants.workspace, receiver.credentials())
        post = due_post([account])
        assert run_due() == [DeliveryState.RETRYING]
        delivery = post.deliveries.get()
        assert delivery.due_at > timezone.now()
        assert delivery.last_error.startswith("HTTP 500")
        receiver.faults.server_error = 0.0
        make_due_again(delivery)
        assert run_due() == [DeliveryState.PUBLISHED]
    outcomes = list(delivery.log.values_list("outcome", flat=True))
    assert outcomes == [AttemptOutcome.RETRYABLE, AttemptOutcome.PUBLISHED]
    assert receiver.count() == 1


def test_a_rate_limit_holds_the_whole_account_until_reset(tenants) -> None:
    with Receiver(Faults(rate_limited=1.0)) as receiver:
        account = webhook_account(tenants.workspace, receiver.credentials())
        due_post([account], "one")
        assert run_due(limit=1) == [DeliveryState.RETRYING]
        due_post([account], "two")
        # The second post is due, but the account is throttled until Retry-After passes.
        assert run_due() == []
    queue = AccountQueue.objects.get(account=account)
    assert queue.throttled_until > timezone.now()


def test_refused_credentials_flag_the_account_and_the_post_waits_for_reconnecting(
    tenants,
) -> None:
    flagged: list[SocialAccount] = []

    def on_flag(sender: object, account: SocialAccount, message: str, **kw: object) -> None:
        flagged.append(account)

    signals.account_needs_reconnect.connect(on_flag)
    try:
        with Receiver(secret="whsec_" + "b3RoZXItc2VjcmV0") as receiver:
            account = webhook_account(
                tenants.workspace, {**receiver.credentials(), "secret": "whsec_" + "d3Jvbmc="}
            )
            post = due_post([account])
            assert run_due() == [DeliveryState.SCHEDULED]
            # Waiting: not claimed again while the account needs reconnecting.
            assert run_due() == []
            account.refresh_from_db()
            assert account.status == SocialAccount.Status.NEEDS_RECONNECT
            assert flagged == [account]
            delivery = post.deliveries.get()
            assert delivery.last_error_code == "account_needs_reconnect"
            assert "reconnect" in delivery.last_error
            # Reconnected with the right secret: the post goes out.
            account.credentials = receiver.credentials()
            account.status = SocialAccount.Status.ACTIVE
            account.save()
            assert run_due() == [DeliveryState.PUBLISHED]
            assert receiver.count() == 1
    finally:
        signals.account_needs_reconnect.disconnect(on_flag)
    post.refresh_from_db()
    assert post.state == PostState.PUBLISHED


def test_a_lost_answer_is_checked_with_the_network_before_any_resend(tenants) -> None:
    with Receiver(Faults(hang=1.0, hang_seconds=2)) as receiver:
        account = webhook_account(tenants.workspace, receiver.credentials(timeout=0.5))
        post = due_post([account])
        assert run_due() == [DeliveryState.UNKNOWN]
        delivery = post.deliveries.get()
        assert delivery.must_check
        receiver.faults.hang = 0.0
        make_due_again(delivery)
        assert run_due() == [DeliveryState.PUBLISHED]
    assert receiver.count() == 1 and receiver.duplicates() == {}
    outcomes = list(delivery.log.values_list("outcome", flat=True))
    assert outcomes == [AttemptOutcome.UNKNOWN, AttemptOutcome.FOUND, AttemptOutcome.PUBLISHED]


def test_a_dead_workers_delivery_is_swept_checked_and_sent(tenants) -> None:
    with Receiver() as receiver:
        account = webhook_account(tenants.workspace, receiver.credentials())
        post = due_post([account])
        # Worker 1 claims, then dies before sending anything.
        (claimed,) = claim.claim_due("dead", 5, timezone.now(), lease_seconds=30)
        assert claim.sweep_expired(timezone.now()) == 0  # lease still running
        assert claim.sweep_expired(timezone.now() + timedelta(seconds=31)) == 1
        delivery = post.deliveries.get()
        assert delivery.state == DeliveryState.UNKNOWN and delivery.must_check
        make_due_again(delivery)
        assert run_due("w2") == [DeliveryState.PUBLISHED]
        # The dead worker comes back to life: its lease is gone, it writes nothing.
        assert deliver(claimed, "dead", CONFIG) == DeliveryState.SENDING
    assert receiver.count() == 1
    outcomes = list(delivery.log.values_list("outcome", flat=True))
    assert outcomes == [AttemptOutcome.CRASHED, AttemptOutcome.NOT_FOUND, AttemptOutcome.PUBLISHED]


def test_a_thread_interrupted_halfway_resumes_without_repeating_parts(tenants) -> None:
    with Receiver() as receiver:
        account = webhook_account(tenants.workspace, receiver.credentials())
        post = due_post([account], "a", thread=["b", "c"])
        delivery = post.deliveries.get()
        # An earlier worker sent part 0 and died before recording it.
        from chorus.connectors.registry import connector_for
        from chorus.publishing.delivery.outgoing import build

        connector_for("webhook").publish(account, build(delivery), 0, None)
        Delivery.objects.filter(pk=delivery.pk).update(state=DeliveryState.UNKNOWN, must_check=True)
        assert run_due() == [DeliveryState.PUBLISHED]
    assert receiver.count() == 3 and receiver.duplicates() == {}


def test_it_gives_up_after_the_last_attempt(tenants) -> None:
    with Receiver(Faults(server_error=1.0)) as receiver:
        account = webhook_account(tenants.workspace, receiver.credentials())
        post = due_post([account])
        delivery = post.deliveries.get()
        for _ in range(CONFIG.max_attempts - 1):
            assert run_due() == [DeliveryState.RETRYING]
            make_due_again(delivery)
        assert run_due() == [DeliveryState.FAILED]
    delivery.refresh_from_db()
    assert "Gave up after 3 attempts" in delivery.last_error


def test_claims_respect_the_per_account_budget_and_paused_queues(tenants) -> None:
    with Receiver() as receiver:
        busy = webhook_account(tenants.workspace, receiver.credentials(), name="busy")
        paused = webhook_account(tenants.workspace, receiver.credentials(), name="paused")
        for n in range(12):
            due_post([busy], f"busy {n}")
        due_post([paused], "held")
        AccountQueue.objects.create(account=paused, paused=True)
        first = claim.claim_due("w1", 20, timezone.now(), 30)
        second = claim.claim_due("w2", 20, timezone.now(), 30)
    assert len(first) == 8  # the webhook's in-flight limit per account
    assert second == []
    assert {d.account_id for d in first} == {busy.pk}


def test_a_cancelled_post_is_not_sent(tenants) -> None:
    with Receiver() as receiver:
        account = webhook_account(tenants.workspace, receiver.credentials())
        post = due_post([account])
        claimed = claim.claim_due("w1", 5, timezone.now(), 30)
        post.state = PostState.CANCELLED
        post.save(update_fields=["state"])
        assert [deliver(d, "w1", CONFIG) for d in claimed] == [DeliveryState.CANCELLED]
    assert receiver.count() == 0


def test_a_spent_budget_announced_on_success_holds_the_account(tenants) -> None:
    with Receiver(Faults(budget_reset=60)) as receiver:
        account = webhook_account(tenants.workspace, receiver.credentials())
        due_post([account], "one")
        assert run_due(limit=1) == [DeliveryState.PUBLISHED]
        due_post([account], "two")
        assert run_due() == []  # held until the budget refills, no 429 needed
    queue = AccountQueue.objects.get(account=account)
    assert queue.throttled_until > timezone.now() + timedelta(seconds=50)


def test_an_account_flagged_after_the_claim_puts_the_delivery_back_to_wait(tenants) -> None:
    with Receiver() as receiver:
        account = webhook_account(tenants.workspace, receiver.credentials())
        post = due_post([account])
        due_at = post.deliveries.get().due_at
        (claimed,) = claim.claim_due("w1", 5, timezone.now(), CONFIG.lease_seconds)
        # Another worker's publish found the credentials revoked meanwhile.
        SocialAccount.objects.filter(pk=account.pk).update(
            status=SocialAccount.Status.NEEDS_RECONNECT
        )

        assert deliver(claimed, "w1", CONFIG) == DeliveryState.SCHEDULED

        delivery = post.deliveries.get()
        assert (delivery.due_at, delivery.lease_owner) == (due_at, "")
        assert delivery.last_error_code == "account_needs_reconnect"
        assert delivery.log.get().outcome == AttemptOutcome.AUTH
        assert run_due() == []  # it waits for the account
        SocialAccount.objects.filter(pk=account.pk).update(status=SocialAccount.Status.ACTIVE)
        assert run_due() == [DeliveryState.PUBLISHED]
    assert receiver.count() == 1
    post.refresh_from_db()
    assert post.state == PostState.PUBLISHED


def test_a_doubtful_delivery_put_back_to_wait_is_still_checked_first(tenants) -> None:
    with Receiver() as receiver:
        account = webhook_account(tenants.workspace, receiver.credentials())
        post = due_post([account])
        Delivery.objects.filter(post=post).update(state=DeliveryState.UNKNOWN, must_check=True)
        (claimed,) = claim.claim_due("w1", 5, timezone.now(), CONFIG.lease_seconds)
        SocialAccount.objects.filter(pk=account.pk).update(
            status=SocialAccount.Status.NEEDS_RECONNECT
        )

        assert deliver(claimed, "w1", CONFIG) == DeliveryState.UNKNOWN
        assert post.deliveries.get().must_check
    assert receiver.count() == 0
