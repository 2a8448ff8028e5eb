"""Permission-matrix rows for connecting webhooks (see chorus/orgs/tests/matrix.py)."""

from typing import Any

from chorus.orgs.tests.matrix import Case


def _ws(t: Any, own: bool) -> Any:
    return t.workspace if own else t.other_workspace


def _page(t: Any, own: bool) -> str:
    ws = _ws(t, own)
    return f"/o/{ws.organisation.slug}/w/{ws.slug}/accounts/webhook/new/"


def _body(t: Any, own: bool) -> dict[str, str]:
    return {"name": "n8n", "url": "https://n8n.example.test/webhook/chorus"}


CASES: list[Case] = [
    Case(
        "web:webhook_connect",
        "account.manage",
        lambda t, own: (
            f"/o/{_ws(t, own).organisation.slug}/w/{_ws(t, own).slug}/accounts/webhook/new/"
        ),
        method="POST",
        data=_body,
        ok=frozenset({201}),
    ),
    Case(
        "POST /api/v1/workspaces/{workspace_id}/accounts/webhook",
        "account.manage",
        lambda t, own: f"/api/v1/workspaces/{_ws(t, own).pk}/accounts/webhook",
        method="POST",
        data=_body,
        ok=frozenset({201}),
    ),
]
