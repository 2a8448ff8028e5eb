"""Notifications go out as Django Tasks, so a slow or unreachable service holds up a task
worker for at most one try, never the publishing engine that raised the event."""

from __future__ import annotations

import logging
import time
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from chorus.notifications.messages import render
from chorus.notifications.models import NotificationTarget
from chorus.notifications.sending import send_and_record

logger = logging.getLogger(__name__)

# Seconds to wait before the 2nd, 3rd, 4th try; then the notification is given up.
DEFAULT_RETRY_DELAYS = (60, 300, 1800)
# A backend that cannot defer a task (the immediate one, in development) runs it in the
# caller; waiting there for long would hold the caller, so those waits are kept short.
MAX_INLINE_WAIT_SECONDS = 5.0


def retry_delays() -> tuple[float, ...]:
    return tuple(getattr(settings, "CHORUS_NOTIFICATION_RETRY_DELAYS", DEFAULT_RETRY_DELAYS))


@task()
def send_notification(
    target_id: int, event: str, context: dict[str, Any], attempt: int = 1
) -> bool:
    """Render and send one event's notification to one target; True once delivered."""
    target = (
        NotificationTarget.objects.select_related("workspace__organisation")
        .filter(pk=target_id)
        .first()
    )
    if target is None or not target.wants(event):
        return False  # deleted, disabled or unsubscribed since the event
    message = render(target, event, context)
    if message is None:
        return False  # what it was about is gone
    delays = retry_delays()
    while True:
        outcome = send_and_record(target, event, message, attempt)
        if outcome.ok:
            return True
        if attempt > len(delays):
            logger.warning(
                "Notification %s to target %s given up after %d tries", event, target_id, attempt
            )
            return False
        delay = delays[attempt - 1]
        attempt += 1
        backend = send_notification.get_backend()
        if backend.supports_defer:
            send_notification.using(run_after=timezone.now() + timedelta(seconds=delay)).enqueue(
                target_id, event, context, attempt
            )
            return False
        time.sleep(min(delay, MAX_INLINE_WAIT_SECONDS))


def enqueue(target: NotificationTarget, event: str, context: dict[str, Any]) -> None:
    send_notification.enqueue(target.pk, event, context)
