"""Changes to targets are audited; the URL, a secret, only as a fingerprint."""

from __future__ import annotations

import json

import pytest

from chorus.accounts.models import User
from chorus.audit.models import AuditEvent
from chorus.notifications import services

pytestmark = pytest.mark.django_db
SECRET = "TIiajkdnlazkcOXrIdevi7FQ"


def test_the_audit_trail_records_changes_but_never_the_url(tenants) -> None:
    owner: User = tenants.users["owner"]
    target = services.create_target(
        owner,
        tenants.workspace,
        name="Team Slack",
        url=f"slack://T1JJ3T3L2/A1BRTD4JD/{SECRET}",
        events=["post_failed"],
    )
    services.update_target(owner, target, url=f"slack://T1JJ3T3L2/A1BRTD4JD/{SECRET}X")
    target_id = target.pk
    services.delete_target(owner, target)

    events = AuditEvent.objects.filter(
        object_type="notifications.notificationtarget", object_id=str(target_id)
    )
    actions = [e.action for e in events.order_by("id")]
    assert actions == [
        "notifications.notificationtarget.create",
        "notifications.notificationtarget.update",
        "notifications.notificationtarget.delete",
    ]
    trail = json.dumps([[e.before, e.after] for e in events])
    assert SECRET not in trail
    update = events.get(action="notifications.notificationtarget.update")
    assert update.before["url"].startswith("[secret ") and update.after["url"].startswith(
        "[secret "
    )
    assert update.before["url"] != update.after["url"]
