"""Handing one message to one target through Apprise, and recording what happened.

Apprise does the talking to Slack, e-mail, Telegram and the rest; this module gives it the
target's URL, reads the outcome from the call's own log (never from the process log, which
other calls share) and keeps a NotificationLog row per try.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import apprise
from django.conf import settings
from django.utils import timezone

from chorus.notifications.models import NotificationLog, NotificationTarget

logger = logging.getLogger(__name__)

# The longest one service may take, connection and answer together.
SERVICE_TIMEOUT_SECONDS = 30
MAX_ERROR_LENGTH = 2000


@dataclass(frozen=True)
class Message:
    title: str
    body: str
    # Apprise's notification type: info, success, warning or failure (colours, icons).
    kind: str = "info"


@dataclass(frozen=True)
class Outcome:
    ok: bool
    error: str = ""


def public_url() -> str:
    """Where people reach this Chorus, for links in notifications."""
    base = getattr(settings, "CHORUS_PUBLIC_URL", "") or getattr(
        settings, "BASE_URL", "http://127.0.0.1:8000"
    )
    return str(base).rstrip("/")


def _asset() -> apprise.AppriseAsset:
    return apprise.AppriseAsset(
        app_id="Chorus",
        app_desc="Chorus notifications",
        app_url=public_url(),
        service_timeout=SERVICE_TIMEOUT_SECONDS,
        secure_logging=True,
    )


def deliver(url: str, message: Message) -> Outcome:
    """Send `message` once; never raises. A failure's text comes from Apprise's own
    account of the call (with secrets masked), e.g. "connection refused" or an HTTP code."""
    sender = apprise.Apprise(asset=_asset())
    try:
        if not sender.add(url):
            return Outcome(ok=False, error="Apprise could not read the target's URL.")
        result = sender.notify(body=message.body, title=message.title, notify_type=message.kind)
    except Exception as exc:  # a plugin bug must not reach the publishing engine
        logger.exception("Apprise raised while notifying")
        return Outcome(ok=False, error=f"{type(exc).__name__}: {exc}"[:MAX_ERROR_LENGTH])
    if result:
        return Outcome(ok=True)
    problems = [
        entry.message for entry in result.logs() if entry.level in {"WARNING", "ERROR", "CRITICAL"}
    ]
    error = " ".join(dict.fromkeys(problems)) or "The service did not accept the notification."
    return Outcome(ok=False, error=error[:MAX_ERROR_LENGTH])


def send_and_record(
    target: NotificationTarget, event: str, message: Message, attempt: int = 1
) -> Outcome:
    outcome = deliver(target.url, message)
    now = timezone.now()
    NotificationLog.objects.create(
        target=target,
        event=event,
        title=message.title[:250],
        attempt=attempt,
        sent_at=now,
        ok=outcome.ok,
        error=outcome.error,
    )
    # An update, not save(): each send is logged above, not as a change of the target's
    # settings in the audit trail.
    changes: dict[str, object] = {"last_error": outcome.error}
    if outcome.ok:
        changes["last_sent_at"] = now
    NotificationTarget.objects.filter(pk=target.pk).update(**changes)
    for name, value in changes.items():
        setattr(target, name, value)
    return outcome
