"""Which due deliveries a worker claims: those of an account that needs reconnecting wait
for it, and go out once it is reconnected. Published through the real webhook connector to a
real receiver."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from chorus.connectors import health
from chorus.connectors.webhook.tests.receiver import Receiver
from chorus.orgs.models import SocialAccount
from chorus.publishing.delivery import claim
from chorus.publishing.delivery.config import EngineConfig
from chorus.publishing.delivery.engine import deliver
from chorus.publishing.models import Delivery, DeliveryState, PostState
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


def run_due(worker: str = "w1") -> list[str]:
    claimed = claim.claim_due(worker, 10, timezone.now(), CONFIG.lease_seconds)
    return [deliver(d, worker, CONFIG) for d in claimed]


def flag(account: SocialAccount, status: str) -> None:
    SocialAccount.objects.filter(pk=account.pk).update(status=status, last_error="revoked")


def test_posts_to_an_account_that_needs_reconnecting_wait_and_go_out_once_it_is_back(
    tenants,
) -> None:
    with Receiver() as receiver:
        account = webhook_account(tenants.workspace, receiver.credentials())
        flag(account, SocialAccount.Status.NEEDS_RECONNECT)
        # Due two days ago: it has waited all that time, and goes out at once.
        post = due_post([account], "Held", when=timezone.now() - timedelta(days=2))

        assert claim.claim_due("w1", 10, timezone.now(), 30) == []
        delivery = post.deliveries.get()
        assert (delivery.state, delivery.attempts) == (DeliveryState.SCHEDULED, 0)
        assert receiver.count() == 0

        # Reconnected: a passing check brings the account back to active.
        assert health.check_account(account) is True
        assert run_due() == [DeliveryState.PUBLISHED]
        assert run_due() == []
    assert receiver.count() == 1 and receiver.duplicates() == {}
    post.refresh_from_db()
    assert post.state == PostState.PUBLISHED


def test_other_accounts_go_out_while_one_waits(tenants) -> None:
    with Receiver() as receiver:
        waiting = webhook_account(tenants.workspace, receiver.credentials(), name="waiting")
        working = webhook_account(tenants.workspace, receiver.credentials(), name="working")
        flag(waiting, SocialAccount.Status.NEEDS_RECONNECT)
        post = due_post([waiting, working], "Both")

        assert run_due() == [DeliveryState.PUBLISHED]
    states = dict(post.deliveries.values_list("account__handle", "state"))
    assert states == {"waiting": DeliveryState.SCHEDULED, "working": DeliveryState.PUBLISHED}
    post.refresh_from_db()
    assert post.state == PostState.PUBLISHING  # not finished: one delivery still waits


def test_a_disconnected_accounts_posts_fail_saying_why(tenants) -> None:
    with Receiver() as receiver:
        account = webhook_account(tenants.workspace, receiver.credentials())
        flag(account, SocialAccount.Status.DISCONNECTED)
        post = due_post([account])

        assert run_due() == [DeliveryState.FAILED]
    assert receiver.count() == 0
    delivery = Delivery.objects.get(post=post)
    assert delivery.last_error_code == "account_disconnected"
    assert delivery.last_error == (
        "The account was disconnected: connect it again, then publish the post again."
    )
    post.refresh_from_db()
    assert post.state == PostState.FAILED
