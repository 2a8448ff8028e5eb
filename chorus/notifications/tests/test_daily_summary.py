"""Daily summaries: due at 08:00 in the workspace's zone, sent once a day, with the
last 24 hours' counts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import call_command

from chorus.notifications.daily import run_due_summaries
from chorus.notifications.models import DailySummaryRun, Event, NotificationTarget
from chorus.notifications.tests import posts
from chorus.orgs.models import SocialAccount
from chorus.publishing.models import Delivery, DeliveryState, PostState

pytestmark = pytest.mark.django_db

# 08:30 in Vientiane (UTC+7, no daylight saving).
MORNING = datetime(2030, 3, 12, 1, 30, tzinfo=UTC)


@pytest.fixture
def vientiane(tenants):
    tenants.workspace.time_zone = "Asia/Vientiane"
    tenants.workspace.save()
    return tenants.workspace


def _subscribe(workspace, url: str, *events: str) -> NotificationTarget:
    return NotificationTarget.objects.create(
        workspace=workspace, name="Daily", url=url, events=list(events or [Event.DAILY_SUMMARY])
    )


def test_it_waits_for_eight_in_the_workspace_time_zone(vientiane, inbox, immediate_tasks) -> None:
    _subscribe(vientiane, inbox.url())

    assert run_due_summaries(MORNING - timedelta(hours=1)) == []  # 07:30 there
    assert inbox.received == []
    assert run_due_summaries(MORNING) == [vientiane]
    assert len(inbox.received) == 1


def test_it_sends_once_per_day_however_often_it_runs(vientiane, inbox, immediate_tasks) -> None:
    _subscribe(vientiane, inbox.url())

    run_due_summaries(MORNING)
    run_due_summaries(MORNING + timedelta(hours=3))
    run_due_summaries(MORNING + timedelta(hours=14))  # 22:30, still the same day there

    assert len(inbox.received) == 1
    assert DailySummaryRun.objects.get().day.isoformat() == "2030-03-12"
    run_due_summaries(MORNING + timedelta(days=1))
    assert len(inbox.received) == 2


def test_only_subscribed_workspaces_get_one(tenants, vientiane, inbox, immediate_tasks) -> None:
    _subscribe(vientiane, inbox.url("failures-only"), Event.POST_FAILED)
    _subscribe(tenants.other_workspace, inbox.url("globex"))  # UTC: 01:30, not yet

    assert run_due_summaries(MORNING) == []
    assert run_due_summaries(MORNING.replace(hour=8)) == [tenants.other_workspace]
    assert inbox.paths == ["/globex"]


def test_it_counts_the_last_and_the_next_24_hours(
    tenants, vientiane, inbox, immediate_tasks
) -> None:
    _subscribe(vientiane, inbox.url())
    account = tenants.account
    second = SocialAccount.objects.create(
        workspace=vientiane,
        network="bluesky",
        remote_id="b1",
        handle="@acme.bsky",
        status=SocialAccount.Status.NEEDS_RECONNECT,
    )
    for hours_ago in (2, 20):
        posts.delivery(
            posts.post(vientiane, f"Out {hours_ago}h ago", PostState.PUBLISHED),
            account,
            DeliveryState.PUBLISHED,
            published_at=MORNING - timedelta(hours=hours_ago),
        )
    # Published two days ago: outside the window.
    posts.delivery(
        posts.post(vientiane, "Old news", PostState.PUBLISHED),
        account,
        DeliveryState.PUBLISHED,
        published_at=MORNING - timedelta(days=2),
    )
    failed = posts.failed_delivery(vientiane, account, "Broken promo\nmore text")
    Delivery.objects.filter(pk=failed.pk).update(updated_at=MORNING - timedelta(hours=3))
    posts.post(vientiane, "Tonight", PostState.SCHEDULED, scheduled_at=MORNING + timedelta(hours=5))
    posts.post(
        vientiane, "Next week", PostState.SCHEDULED, scheduled_at=MORNING + timedelta(days=7)
    )

    run_due_summaries(MORNING)

    [payload] = inbox.received
    org, ws = tenants.org.slug, vientiane.slug
    assert payload["title"].startswith("Chorus daily summary for Acme Brand, ")
    assert payload["type"] == "warning"
    assert payload["message"].splitlines() == [
        "2 posts published in the last 24 hours.",
        "1 post failed in the last 24 hours.",
        "1 post scheduled for the next 24 hours.",
        "1 account needs reconnecting: @acme.bsky (bluesky).",
        f"Failed: Broken promo, https://chorus.example.test/o/{org}/w/{ws}/posts/{failed.post_id}/",
        f"Open in Chorus: https://chorus.example.test/o/{org}/w/{ws}/",
    ]
    assert second.status == SocialAccount.Status.NEEDS_RECONNECT


def test_a_quiet_day_is_still_reported(vientiane, inbox, immediate_tasks) -> None:
    _subscribe(vientiane, inbox.url())

    run_due_summaries(MORNING)

    [payload] = inbox.received
    assert payload["type"] == "info"
    assert payload["message"].splitlines()[:4] == [
        "0 posts published in the last 24 hours.",
        "0 posts failed in the last 24 hours.",
        "0 posts scheduled for the next 24 hours.",
        "No account needs reconnecting.",
    ]


def test_the_command_runs_the_due_summaries(vientiane, inbox, immediate_tasks) -> None:
    _subscribe(vientiane, inbox.url())
    out = StringIO()

    call_command("notifications", "daily-summary", "--any-hour", stdout=out)
    call_command("notifications", "daily-summary", "--any-hour", stdout=out)

    assert len(inbox.received) == 1
    assert out.getvalue().splitlines() == [
        "Daily summary queued for Acme / Acme Brand.",
        "No daily summary was due.",
    ]
