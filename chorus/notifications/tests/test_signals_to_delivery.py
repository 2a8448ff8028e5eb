"""From the publishing engine's signals to a message at a real receiver, through the task."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from chorus.notifications.models import Event, NotificationLog, NotificationTarget
from chorus.notifications.tasks import send_notification
from chorus.notifications.tests import posts
from chorus.orgs.models import SocialAccount
from chorus.publishing import signals
from chorus.publishing.models import Delivery, DeliveryState, Post, PostState

pytestmark = pytest.mark.django_db


def _target(tenants, url: str, *events: str, **fields) -> NotificationTarget:
    return NotificationTarget.objects.create(
        workspace=tenants.workspace, name="Alerts", url=url, events=list(events), **fields
    )


def test_a_failed_delivery_reaches_the_receiver_with_post_account_reason_and_link(
    tenants, inbox, immediate_tasks
) -> None:
    _target(tenants, inbox.url(), Event.POST_FAILED)
    delivery = posts.failed_delivery(
        tenants.workspace, tenants.account, "Launch day!\nSecond line stays out."
    )

    signals.delivery_failed.send(
        sender=Delivery, delivery=delivery, error_code="media_rejected", message="Image too big"
    )

    [payload] = inbox.received
    org, ws = tenants.org.slug, tenants.workspace.slug
    assert payload["type"] == "failure"
    assert payload["title"] == "Chorus: a post failed to publish to @acme (mastodon)"
    assert payload["message"].splitlines() == [
        "Post: Launch day!",
        "Account: @acme (mastodon)",
        "Reason: Image too big (code media_rejected)",
        "Workspace: Acme Brand",
        f"Open in Chorus: https://chorus.example.test/o/{org}/w/{ws}/posts/{delivery.post_id}/",
    ]
    entry = NotificationLog.objects.get()
    assert entry.ok and entry.event == Event.POST_FAILED


def test_an_account_needing_reconnect_is_announced(tenants, inbox, immediate_tasks) -> None:
    _target(tenants, inbox.url(), Event.ACCOUNT_RECONNECT)

    signals.account_needs_reconnect.send(
        sender=SocialAccount, account=tenants.account, message="The token was revoked."
    )

    [payload] = inbox.received
    assert payload["title"] == "Chorus: @acme (mastodon) needs reconnecting"
    assert "Reason: The token was revoked." in payload["message"]
    assert payload["type"] == "warning"


def test_a_published_post_lists_where_it_went(tenants, inbox, immediate_tasks) -> None:
    _target(tenants, inbox.url(), Event.POST_PUBLISHED)
    post = posts.post(tenants.workspace, "Hello world", PostState.PUBLISHED)
    posts.delivery(
        post,
        tenants.account,
        DeliveryState.PUBLISHED,
        published_at=timezone.now(),
        remote_url="https://mastodon.example/@acme/1",
    )

    signals.post_published.send(sender=Post, post=post)

    [payload] = inbox.received
    assert payload["title"] == "Chorus: a post was published in Acme Brand"
    assert "On @acme (mastodon): https://mastodon.example/@acme/1" in payload["message"]


def test_only_enabled_targets_subscribed_to_the_event_hear_of_it(
    tenants, inbox, immediate_tasks
) -> None:
    _target(tenants, inbox.url("summary-only"), Event.DAILY_SUMMARY)
    _target(tenants, inbox.url("paused"), Event.POST_FAILED, enabled=False)
    _target(tenants, inbox.url("wanted"), Event.POST_FAILED)
    NotificationTarget.objects.create(
        workspace=tenants.other_workspace,
        name="Other tenant",
        url=inbox.url("other-tenant"),
        events=[Event.POST_FAILED],
    )
    delivery = posts.failed_delivery(tenants.workspace, tenants.account, "Oops")

    signals.delivery_failed.send(sender=Delivery, delivery=delivery, error_code="", message="No")

    assert inbox.paths == ["/wanted"]


def test_a_failing_target_is_retried_then_given_up_without_troubling_the_engine(
    tenants, refused_url, immediate_tasks
) -> None:
    target = _target(tenants, refused_url, Event.POST_FAILED)
    delivery = posts.failed_delivery(tenants.workspace, tenants.account, "Oops")

    # Nothing raised: the engine's step goes on.
    signals.delivery_failed.send(sender=Delivery, delivery=delivery, error_code="", message="No")

    log = list(NotificationLog.objects.order_by("attempt"))
    # Two retry delays configured: three tries in all.
    assert [(e.attempt, e.ok) for e in log] == [(1, False), (2, False), (3, False)]
    assert all("connection error" in e.error.lower() for e in log)
    target.refresh_from_db()
    assert target.last_error == log[-1].error and target.last_sent_at is None


def test_a_retry_delivers_after_the_service_recovers(tenants, inbox, immediate_tasks) -> None:
    _target(tenants, inbox.url(), Event.POST_FAILED)
    inbox.answers = [502]
    delivery = posts.failed_delivery(tenants.workspace, tenants.account, "Oops")

    signals.delivery_failed.send(sender=Delivery, delivery=delivery, error_code="", message="No")

    assert len(inbox.received) == 2
    log = list(NotificationLog.objects.order_by("attempt"))
    assert [(e.attempt, e.ok) for e in log] == [(1, False), (2, True)]
    assert "502" in log[0].error


def test_with_the_database_queue_a_retry_waits_in_the_queue_not_in_the_worker(
    tenants, refused_url, settings
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.CHORUS_NOTIFICATION_RETRY_DELAYS = (600,)
    target = _target(tenants, refused_url, Event.POST_FAILED)
    delivery = posts.failed_delivery(tenants.workspace, tenants.account, "Oops")
    before = timezone.now()

    signals.delivery_failed.send(sender=Delivery, delivery=delivery, error_code="", message="No")
    # Queued, not sent: the engine did not wait for the service.
    [first] = DBTaskResult.objects.all()
    assert first.status == TaskResultStatus.READY
    assert not NotificationLog.objects.exists()

    # What a worker does with it: one try, then a second try queued for 10 minutes later.
    assert (
        send_notification.call(*first.args_kwargs["args"], **first.args_kwargs["kwargs"]) is False
    )
    [retry] = DBTaskResult.objects.exclude(pk=first.pk)
    assert retry.run_after >= before + timedelta(seconds=600)
    assert retry.args_kwargs["args"][-1] == 2
    assert NotificationLog.objects.get().attempt == 1

    # The second try is the last one configured: it fails and queues nothing more.
    assert send_notification.call(*retry.args_kwargs["args"]) is False
    assert DBTaskResult.objects.count() == 2
    assert [e.attempt for e in NotificationLog.objects.order_by("attempt")] == [1, 2]
    assert target.log.count() == 2


def test_a_broken_signal_argument_is_logged_not_raised(tenants, immediate_tasks, caplog) -> None:
    signals.delivery_failed.send(sender=Delivery, delivery=object(), error_code="", message="")

    assert "on_delivery_failed failed" in caplog.text


def test_nothing_is_sent_about_a_post_deleted_before_its_turn(
    tenants, inbox, immediate_tasks
) -> None:
    target = _target(tenants, inbox.url(), Event.POST_FAILED)
    delivery = posts.failed_delivery(tenants.workspace, tenants.account, "Oops")
    context = {"delivery_id": delivery.pk, "error_code": "", "message": ""}
    delivery.post.delete()

    assert send_notification.call(target.pk, Event.POST_FAILED, context) is False
    assert inbox.received == [] and not NotificationLog.objects.exists()
