"""Changes to notification targets, shared by the web pages and the API.

Each function checks the policy, validates, and writes inside one transaction. Targets
hold secrets (the URL), so even listing them needs "workspace.update".
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from chorus.accounts.models import User
from chorus.notifications import validation
from chorus.notifications.messages import render_test
from chorus.notifications.models import NotificationLog, NotificationTarget
from chorus.notifications.sending import Outcome, send_and_record
from chorus.orgs import policy
from chorus.orgs.models import Workspace

ACTION = "workspace.update"
TEST_EVENT = "test"


def targets_of(user: User, workspace: Workspace, token: Any = None) -> QuerySet[NotificationTarget]:
    policy.authorize(user, ACTION, workspace, token=token)
    return NotificationTarget.objects.filter(workspace=workspace).order_by("name", "pk")


@transaction.atomic
def create_target(
    user: User,
    workspace: Workspace,
    *,
    name: str,
    url: str,
    events: list[str],
    enabled: bool = True,
    language: str = "en",
    token: Any = None,
) -> NotificationTarget:
    policy.authorize(user, ACTION, workspace, token=token)
    return NotificationTarget.objects.create(
        workspace=workspace,
        name=validation.clean_name(name),
        url=validation.clean_url(url),
        events=validation.clean_events(events),
        enabled=bool(enabled),
        language=validation.clean_language(language),
    )


@transaction.atomic
def update_target(
    user: User,
    target: NotificationTarget,
    *,
    name: str | None = None,
    url: str | None = None,
    events: list[str] | None = None,
    enabled: bool | None = None,
    language: str | None = None,
    token: Any = None,
) -> NotificationTarget:
    """Change the fields given; None leaves a field as it is (the URL too, so a form
    need not show the secret to keep it)."""
    policy.authorize(user, ACTION, target, token=token)
    if name is not None:
        target.name = validation.clean_name(name)
    if url is not None:
        target.url = validation.clean_url(url)
    if events is not None:
        target.events = validation.clean_events(events)
    if enabled is not None:
        target.enabled = bool(enabled)
    if language is not None:
        target.language = validation.clean_language(language)
    target.save()
    return target


@transaction.atomic
def delete_target(user: User, target: NotificationTarget, token: Any = None) -> None:
    policy.authorize(user, ACTION, target, token=token)
    target.delete()


def send_test(user: User, target: NotificationTarget, token: Any = None) -> Outcome:
    """Send a test message now, once, without retries: the person is waiting for the answer."""
    policy.authorize(user, ACTION, target, token=token)
    return send_and_record(target, TEST_EVENT, render_test(target))


def recent_log(target: NotificationTarget, limit: int = 10) -> list[NotificationLog]:
    return list(target.log.order_by("-sent_at", "-pk")[:limit])
