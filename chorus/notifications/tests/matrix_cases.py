"""Permission-matrix rows for notification targets (see chorus/orgs/tests/matrix.py).
Every operation needs "workspace.update": a target's URL is a secret."""

from __future__ import annotations

from typing import Any

from chorus.orgs.tests.matrix import Case

V1 = "/api/v1"
ACTION = "workspace.update"
OK_PAGE = frozenset({200})
OK_REDIRECT = frozenset({302})


def _ws(t: Any, own: bool) -> str:
    org = t.org if own else t.other_org
    workspace = t.workspace if own else t.other_workspace
    return f"/o/{org.slug}/w/{workspace.slug}/notifications/"


def _target_page(t: Any, own: bool) -> str:
    target = t.notification_target if own else t.other_notification_target
    # The other organisation's target through its own workspace's URL: the policy
    # refuses at the workspace, before the target is looked up.
    return f"{_ws(t, own)}{target.pk}/"


def _target_id(t: Any, own: bool) -> int:
    return (t.notification_target if own else t.other_notification_target).pk


def _workspace_id(t: Any, own: bool) -> int:
    return (t.workspace if own else t.other_workspace).pk


def _form(t: Any, own: bool) -> dict[str, Any]:
    return {
        "name": "Team e-mail",
        "url": "json://127.0.0.1:9/new",
        "events": ["post_failed", "daily_summary"],
        "language": "en",
        "enabled": "on",
    }


def _body(t: Any, own: bool) -> dict[str, Any]:
    return {"name": "Team e-mail", "url": "json://127.0.0.1:9/new", "events": ["post_failed"]}


CASES: list[Case] = [
    Case("web:notifications", ACTION, _ws, ok=OK_PAGE),
    Case(
        "web:notification_create",
        ACTION,
        lambda t, own: f"{_ws(t, own)}new/",
        method="POST",
        data=_form,
        ok=OK_REDIRECT,
    ),
    Case(
        "web:notification_edit",
        ACTION,
        _target_page,
        method="POST",
        data=_form,
        ok=OK_REDIRECT,
    ),
    Case(
        "web:notification_delete",
        ACTION,
        lambda t, own: f"{_target_page(t, own)}delete/",
        method="POST",
        ok=OK_REDIRECT,
    ),
    Case(
        "web:notification_test",
        ACTION,
        lambda t, own: f"{_target_page(t, own)}test/",
        method="POST",
        ok=OK_REDIRECT,
    ),
    Case(
        "GET /api/v1/workspaces/{workspace_id}/notification-targets",
        ACTION,
        lambda t, own: f"{V1}/workspaces/{_workspace_id(t, own)}/notification-targets",
    ),
    Case(
        "POST /api/v1/workspaces/{workspace_id}/notification-targets",
        ACTION,
        lambda t, own: f"{V1}/workspaces/{_workspace_id(t, own)}/notification-targets",
        method="POST",
        data=_body,
    ),
    Case(
        "PATCH /api/v1/notification-targets/{target_id}",
        ACTION,
        lambda t, own: f"{V1}/notification-targets/{_target_id(t, own)}",
        method="PATCH",
        data=lambda t, own: {"name": "Renamed alerts", "enabled": False},
    ),
    Case(
        "DELETE /api/v1/notification-targets/{target_id}",
        ACTION,
        lambda t, own: f"{V1}/notification-targets/{_target_id(t, own)}",
        method="DELETE",
    ),
    Case(
        "POST /api/v1/notification-targets/{target_id}/test",
        ACTION,
        lambda t, own: f"{V1}/notification-targets/{_target_id(t, own)}/test",
        method="POST",
    ),
]
