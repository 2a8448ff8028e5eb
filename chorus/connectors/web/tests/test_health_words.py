"""An account's health in words, and what the page says beside it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from chorus.connectors.web.health_words import health_of, health_rows, waiting_posts
from chorus.orgs.models import SocialAccount
from chorus.publishing.models import Delivery, DeliveryState
from chorus.publishing.tests.factories import due_post, webhook_account

pytestmark = pytest.mark.django_db

WORKING = {"url": "https://hooks.example.test/in", "secret": "whsec_c2VjcmV0"}


def _flag(account: SocialAccount) -> None:
    SocialAccount.objects.filter(pk=account.pk).update(
        status=SocialAccount.Status.NEEDS_RECONNECT, last_error="revoked"
    )
    account.refresh_from_db()


def test_the_posts_waiting_for_an_account_that_needs_reconnecting_are_counted(tenants) -> None:
    flagged = webhook_account(tenants.workspace, WORKING, name="flagged")
    working = webhook_account(tenants.workspace, WORKING, name="working")
    _flag(flagged)
    due_post([flagged, working], "one")
    due_post([flagged], "two", when=timezone.now() - timedelta(days=3))
    due_post([flagged], "tomorrow", when=timezone.now() + timedelta(days=1))
    published = due_post([flagged], "done")
    Delivery.objects.filter(post=published).update(state=DeliveryState.PUBLISHED)

    assert waiting_posts([flagged, working], timezone.now()) == {flagged.pk: 2}

    rows = {row.account.handle: row for row in health_rows([flagged, working])}
    assert (rows["flagged"].waiting, rows["working"].waiting) == (2, 0)


def test_needing_reconnecting_says_posts_wait_and_then_go_out(tenants) -> None:
    account = tenants.account  # Mastodon: reconnected from the page
    _flag(account)

    health = health_of(account)

    assert health.state == "warn"
    assert health.words == "Needs reconnecting: revoked"
    assert "posts to this account wait until then, and go out once it is reconnected" in (
        health.next_step
    )
    assert health.can_reconnect


def test_an_error_older_than_a_later_success_no_longer_warns(tenants) -> None:
    account = webhook_account(tenants.workspace, WORKING)
    now = timezone.now()
    account.last_error = "503 Service Unavailable"
    account.last_checked_at = now - timedelta(hours=1)

    assert health_of(account).state == "warn"  # nothing went through since

    account.last_success_at = now  # a post went out after the failed check
    assert (health_of(account).state, health_of(account).words) == ("ok", "Working")
