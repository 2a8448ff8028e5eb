"""Exactly once, under fire: 2,000 posts due within a minute, four worker processes on
PostgreSQL, one of them killed with SIGKILL every few seconds and replaced. The receiver
must see every post once, never twice; the second run has it answer 30% of requests with
429, 500 or no answer at all.
"""

from __future__ import annotations

import random
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from chorus.connectors.webhook.tests.receiver import Faults, Receiver
from chorus.publishing.delivery.tests.fleet import Fleet, worker_env
from chorus.publishing.models import Delivery, DeliveryState, Post, PostState
from chorus.publishing.tests.factories import webhook_account

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

POSTS = 2_000
WORKERS = 4
ACCOUNTS = 20
SPREAD_SECONDS = 60
DEADLINE_SECONDS = 420


def _schedule(workspace, receiver: Receiver) -> None:  # type: ignore[no-untyped-def]
    accounts = [
        webhook_account(workspace, receiver.credentials(timeout=1.0), name=f"hook-{n}")
        for n in range(ACCOUNTS)
    ]
    start = timezone.now() + timedelta(seconds=5)
    posts = Post.objects.bulk_create(
        Post(
            workspace=workspace,
            text=f"Post {n}",
            state=PostState.SCHEDULED,
            scheduled_at=start + timedelta(seconds=SPREAD_SECONDS * n / POSTS),
        )
        for n in range(POSTS)
    )
    Delivery.objects.bulk_create(
        Delivery(
            post=post,
            account=accounts[n % ACCOUNTS],
            network="webhook",
            state=DeliveryState.SCHEDULED,
            scheduled_for=post.scheduled_at,
            due_at=post.scheduled_at,
        )
        for n, post in enumerate(posts)
    )


def _run(tenants, faults: Faults, name: str) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(42)
    with Receiver(faults) as receiver:
        _schedule(tenants.workspace, receiver)
        env = worker_env(
            CHORUS_DELIVERY_LEASE_SECONDS="3",
            CHORUS_DELIVERY_BACKOFF_BASE="0.5",
            CHORUS_DELIVERY_BACKOFF_CAP="4",
            CHORUS_DELIVERY_CHECK_DELAY="0.5",
            CHORUS_DELIVERY_MAX_ATTEMPTS="1000",
            CHORUS_DELIVERY_POLL_SECONDS="0.2",
        )
        fleet = Fleet(WORKERS, env, Path(settings.VAR_DIR) / "test-artifacts" / name)
        fleet.start()
        deadline = time.monotonic() + DEADLINE_SECONDS
        try:
            while time.monotonic() < deadline:
                time.sleep(rng.uniform(2, 5))
                if _open_deliveries() == 0:
                    break
                fleet.kill_one(rng)
        finally:
            fleet.stop()
        assert fleet.killed >= 10
        assert receiver.duplicates() == {}
        assert receiver.bad_signatures == 0
        assert _open_deliveries() == 0, "some deliveries never finished"
        assert receiver.count() == POSTS
        published = Delivery.objects.filter(network="webhook", state=DeliveryState.PUBLISHED)
        assert published.count() == POSTS
        assert Post.objects.filter(state=PostState.PUBLISHED).count() == POSTS


def _open_deliveries() -> int:
    # Only this test's posts: the tenants fixture holds drafts and posts due in days.
    return (
        Delivery.objects.filter(network="webhook")
        .exclude(state__in=[DeliveryState.PUBLISHED, DeliveryState.FAILED, DeliveryState.CANCELLED])
        .count()
    )


def test_every_post_arrives_exactly_once_while_workers_are_killed(tenants) -> None:
    _run(tenants, Faults(), "exactly-once")


def test_every_post_arrives_exactly_once_through_errors_and_timeouts(tenants) -> None:
    faults = Faults(rate_limited=0.1, server_error=0.1, hang=0.1, hang_seconds=1.5)
    _run(tenants, faults, "exactly-once-faults")
