"""Notification targets over the API. Their URLs are secrets: they can be set, never read."""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router
from ninja.pagination import paginate
from ninja.params import PathEx
from ninja.responses import Status

from chorus.api.lookup import caller, get_or_404, token
from chorus.api.pagination import Page
from chorus.api.schemas.common import id_param, responses
from chorus.notifications import services
from chorus.notifications.models import NotificationTarget
from chorus.notifications.schemas import TargetIn, TargetOut, TargetPatch, TestResultOut
from chorus.orgs.models import Workspace
from chorus.orgs.policy import rule

router = Router(tags=["Notifications"])

WorkspaceId = PathEx[int, id_param("The workspace's id.")]
TargetId = PathEx[int, id_param("The notification target's id.")]


def _target(target_id: int) -> NotificationTarget:
    return get_or_404(NotificationTarget, target_id, "workspace__organisation")


@router.get(
    "/workspaces/{workspace_id}/notification-targets",
    response=responses({200: list[TargetOut]}),
    summary="List a workspace's notification targets",
)
@paginate(Page)
@rule("workspace.update")
def list_notification_targets(
    request: HttpRequest, workspace_id: WorkspaceId
) -> QuerySet[NotificationTarget]:
    """Where the workspace's notifications go, by name. Each URL is shown by its scheme
    only; listing needs the right to change the workspace, as the targets hold secrets."""
    workspace = get_or_404(Workspace, workspace_id, "organisation")
    return services.targets_of(caller(request), workspace, token=token(request))


@router.post(
    "/workspaces/{workspace_id}/notification-targets",
    response=responses({201: TargetOut}),
    summary="Add a notification target",
)
@rule("workspace.update")
def create_notification_target(
    request: HttpRequest, workspace_id: WorkspaceId, payload: TargetIn
) -> Status[Any]:
    """Send the workspace's notifications (failed posts, accounts to reconnect, the daily
    summary at 08:00 in the workspace's time zone, published posts) to an Apprise URL:
    e-mail, Slack, Microsoft Teams, Telegram and many more. A URL Apprise cannot read is
    refused with an error on `url`."""
    workspace = get_or_404(Workspace, workspace_id, "organisation")
    target = services.create_target(
        caller(request),
        workspace,
        name=payload.name,
        url=payload.url,
        events=[e.value for e in payload.events],
        enabled=payload.enabled,
        language=payload.language,
        token=token(request),
    )
    return Status(201, target)


@router.patch(
    "/notification-targets/{target_id}",
    response=responses({200: TargetOut}),
    summary="Change a notification target",
)
@rule("workspace.update")
def update_notification_target(
    request: HttpRequest, target_id: TargetId, payload: TargetPatch
) -> NotificationTarget:
    """Fields left out stay as they are; leave out `url` to keep the current one."""
    return services.update_target(
        caller(request),
        _target(target_id),
        name=payload.name,
        url=payload.url,
        events=[e.value for e in payload.events] if payload.events is not None else None,
        enabled=payload.enabled,
        language=payload.language,
        token=token(request),
    )


@router.delete(
    "/notification-targets/{target_id}",
    response=responses({204: None}),
    summary="Delete a notification target",
)
@rule("workspace.update")
def delete_notification_target(request: HttpRequest, target_id: TargetId) -> Status[None]:
    services.delete_target(caller(request), _target(target_id), token=token(request))
    return Status(204, None)


@router.post(
    "/notification-targets/{target_id}/test",
    response=responses({200: TestResultOut}),
    summary="Send a test notification",
)
@rule("workspace.update")
def test_notification_target(request: HttpRequest, target_id: TargetId) -> TestResultOut:
    """Sends a short test message now, once, and answers whether the service took it.
    A service that refuses is not an API error: the answer is 200 with `ok` false and
    the service's reason in `error`. The try is also kept in the target's log."""
    outcome = services.send_test(caller(request), _target(target_id), token=token(request))
    return TestResultOut(ok=outcome.ok, error=outcome.error)
