from __future__ import annotations

import pytest

from chorus.notifications.models import Event, NotificationLog, NotificationTarget
from chorus.notifications.sending import Message, deliver, send_and_record


def _target(tenants, url: str) -> NotificationTarget:
    return NotificationTarget.objects.create(
        workspace=tenants.workspace, name="Alerts", url=url, events=[Event.POST_FAILED]
    )


def test_it_hands_the_message_to_a_real_receiver(inbox) -> None:
    outcome = deliver(inbox.url("alerts"), Message("A title", "Line one\nLine two", "failure"))

    assert outcome.ok and outcome.error == ""
    assert inbox.paths == ["/alerts"]
    payload = inbox.received[0]
    assert payload["title"] == "A title"
    assert payload["message"] == "Line one\nLine two"
    assert payload["type"] == "failure"


@pytest.mark.django_db
def test_it_logs_a_delivered_message_and_stamps_the_target(tenants, inbox) -> None:
    target = _target(tenants, inbox.url())

    outcome = send_and_record(target, Event.POST_FAILED, Message("Hello", "Body"))

    assert outcome.ok
    entry = NotificationLog.objects.get(target=target)
    assert (entry.ok, entry.event, entry.title, entry.attempt, entry.error) == (
        True,
        "post_failed",
        "Hello",
        1,
        "",
    )
    target.refresh_from_db()
    assert target.last_sent_at == entry.sent_at and target.last_error == ""


@pytest.mark.django_db
def test_it_records_a_refused_connection_without_raising(tenants, refused_url) -> None:
    target = _target(tenants, refused_url)

    outcome = send_and_record(target, Event.POST_FAILED, Message("Hello", "Body"), attempt=2)

    assert not outcome.ok
    assert "connection error" in outcome.error.lower()
    entry = NotificationLog.objects.get(target=target)
    assert not entry.ok and entry.attempt == 2 and entry.error == outcome.error
    target.refresh_from_db()
    assert target.last_sent_at is None and target.last_error == outcome.error


def test_it_reports_the_status_a_service_answered_with(inbox) -> None:
    inbox.answers = [503]

    outcome = deliver(inbox.url(), Message("Hello", "Body"))

    assert not outcome.ok
    assert "503" in outcome.error
    assert len(inbox.received) == 1


def test_it_keeps_passwords_out_of_the_error_it_reports(refused_url) -> None:
    url = refused_url.replace("json://", "json://robot:hunter2-secret@")

    outcome = deliver(url, Message("Hello", "Body"))

    assert not outcome.ok
    assert "hunter2-secret" not in outcome.error
