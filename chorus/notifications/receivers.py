"""Turning the publishing engine's signals into queued notifications.

The engine sends these signals from its delivery threads. A receiver that raised would
break the engine's step, so each one logs its own errors and returns; a database error is
confined to a savepoint so the engine's transaction, if any, stays usable.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

from django.db import transaction

from chorus.notifications.models import Event, NotificationTarget
from chorus.notifications.tasks import enqueue
from chorus.publishing import signals

logger = logging.getLogger(__name__)

# The network's message travels as a task argument; the rest is read when sending.
MAX_MESSAGE_LENGTH = 2000


def notify(workspace_id: int, event: str, context: dict[str, Any]) -> int:
    """Queue one notification per target of the workspace that wants `event`."""
    with transaction.atomic():
        targets = [
            t
            for t in NotificationTarget.objects.filter(workspace_id=workspace_id, enabled=True)
            if t.wants(event)
        ]
        for target in targets:
            enqueue(target, event, context)
    return len(targets)


def never_raises(receiver: Callable[..., None]) -> Callable[..., None]:
    @functools.wraps(receiver)
    def guarded(*args: Any, **kwargs: Any) -> None:
        try:
            receiver(*args, **kwargs)
        except Exception:
            logger.exception(
                "Notifications: %s failed; the event is not notified", receiver.__name__
            )

    return guarded


@never_raises
def on_delivery_failed(
    sender: Any, delivery: Any, error_code: str = "", message: str = "", **kwargs: Any
) -> None:
    notify(
        delivery.post.workspace_id,
        Event.POST_FAILED,
        {
            "delivery_id": delivery.pk,
            "error_code": str(error_code or "")[:60],
            "message": str(message or "")[:MAX_MESSAGE_LENGTH],
        },
    )


@never_raises
def on_account_needs_reconnect(sender: Any, account: Any, message: str = "", **kwargs: Any) -> None:
    notify(
        account.workspace_id,
        Event.ACCOUNT_RECONNECT,
        {"account_id": account.pk, "message": str(message or "")[:MAX_MESSAGE_LENGTH]},
    )


@never_raises
def on_post_published(sender: Any, post: Any, **kwargs: Any) -> None:
    notify(post.workspace_id, Event.POST_PUBLISHED, {"post_id": post.pk})


def connect() -> None:
    signals.delivery_failed.connect(on_delivery_failed, dispatch_uid="notify-delivery-failed")
    signals.account_needs_reconnect.connect(
        on_account_needs_reconnect, dispatch_uid="notify-account-reconnect"
    )
    signals.post_published.connect(on_post_published, dispatch_uid="notify-post-published")
