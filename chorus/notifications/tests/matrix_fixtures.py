"""A notification target in each organisation, for the permission matrix. Their URL
points at the discard port on this machine: a "send test" fails at once, sending nothing
anywhere. They are paused, so that other apps' tests that publish or fail posts in these
workspaces do not queue notifications."""

from __future__ import annotations

from typing import Any

from chorus.notifications.models import Event, NotificationTarget

REFUSING_URL = "json://127.0.0.1:9/chorus-matrix"


def build(t: Any) -> None:
    t.notification_target = NotificationTarget.objects.create(
        workspace=t.workspace,
        name="Acme alerts",
        url=REFUSING_URL,
        events=[Event.POST_FAILED],
        enabled=False,
    )
    t.other_notification_target = NotificationTarget.objects.create(
        workspace=t.other_workspace,
        name="Globex alerts",
        url=REFUSING_URL,
        events=[Event.POST_FAILED],
        enabled=False,
    )
