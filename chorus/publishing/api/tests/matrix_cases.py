"""Permission-matrix rows for the publishing API (see chorus/orgs/tests/matrix.py)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from chorus.orgs.tests.matrix import Case

V1 = "/api/v1"


def _ws(t: Any, own: bool) -> int:
    return (t.workspace if own else t.other_workspace).pk


def _post(name: str) -> Any:
    return lambda t, own: getattr(t, name if own else f"other_{name}").pk


def _body(t: Any, own: bool) -> dict[str, Any]:
    account = t.account if own else t.other_account
    return {"text": "Hello from the matrix", "account_ids": [account.pk]}


def _future(t: Any, own: bool) -> dict[str, Any]:
    day = (timezone.now() + timedelta(days=3)).date()
    return {"local_time": f"{day.isoformat()}T10:15", "time_zone": "Europe/Berlin"}


def _day(t: Any, own: bool) -> dict[str, Any]:
    return {"date": (timezone.now() + timedelta(days=4)).date().isoformat()}


def _post_case(method: str, suffix: str, action: str, target: str, data: Any = None) -> Case:
    post = _post(target)
    return Case(
        f"{method} {V1}/posts/{{post_id}}{suffix}",
        action,
        lambda t, own: f"{V1}/posts/{post(t, own)}{suffix}",
        method=method,
        data=data,
    )


CASES: list[Case] = [
    Case(
        "POST /api/v1/workspaces/{workspace_id}/posts/validate",
        "post.create",
        lambda t, own: f"{V1}/workspaces/{_ws(t, own)}/posts/validate",
        method="POST",
        data=_body,
    ),
    Case(
        "POST /api/v1/workspaces/{workspace_id}/posts",
        "post.create",
        lambda t, own: f"{V1}/workspaces/{_ws(t, own)}/posts",
        method="POST",
        data=_body,
    ),
    Case(
        "GET /api/v1/workspaces/{workspace_id}/posts",
        "post.view",
        lambda t, own: f"{V1}/workspaces/{_ws(t, own)}/posts",
    ),
    _post_case("GET", "", "post.view", "post"),
    _post_case("PATCH", "", "post.create", "post", _body),
    _post_case("DELETE", "", "post.create", "post"),
    _post_case("GET", "/revisions", "post.view", "post"),
    _post_case("POST", "/schedule", "post.publish", "post", _future),
    _post_case("POST", "/queue", "post.publish", "post", lambda t, own: {"mode": "last"}),
    _post_case("POST", "/publish-now", "post.publish", "post"),
    _post_case("POST", "/move", "post.publish", "post_scheduled", _day),
    _post_case("POST", "/submit", "post.create", "post"),
    _post_case("POST", "/approve", "post.approve", "post_in_review"),
    _post_case("POST", "/reject", "post.approve", "post_in_review"),
    _post_case("POST", "/unschedule", "post.publish", "post_scheduled"),
    _post_case("POST", "/cancel", "post.publish", "post_scheduled"),
    _post_case("GET", "/deliveries", "post.view", "post"),
    Case(
        "POST /api/v1/deliveries/{delivery_id}/retry",
        "post.publish",
        lambda t, own: (
            f"{V1}/deliveries/{(t.failed_delivery if own else t.other_failed_delivery).pk}/retry"
        ),
        method="POST",
    ),
    Case(
        "GET /api/v1/accounts/{account_id}/queue",
        "post.view",
        lambda t, own: f"{V1}/accounts/{(t.account if own else t.other_account).pk}/queue",
    ),
    Case(
        "PUT /api/v1/accounts/{account_id}/queue",
        "post.publish",
        lambda t, own: f"{V1}/accounts/{(t.account if own else t.other_account).pk}/queue",
        method="PUT",
        data=lambda t, own: {
            "paused": False,
            "daily_limit": 5,
            "slots": [{"weekday": 0, "time": "09:00"}],
        },
    ),
    Case(
        "GET /api/v1/workspaces/{workspace_id}/campaigns",
        "post.view",
        lambda t, own: f"{V1}/workspaces/{_ws(t, own)}/campaigns",
    ),
    Case(
        "POST /api/v1/workspaces/{workspace_id}/campaigns",
        "post.create",
        lambda t, own: f"{V1}/workspaces/{_ws(t, own)}/campaigns",
        method="POST",
        data=lambda t, own: {"name": "Summer launch"},
    ),
]
