"""Permission-matrix rows for the link pages and API (see chorus/orgs/tests/matrix.py).

The public redirect (/l/<code>) is @public and has no row; its tests are in test_redirect.py.
"""

from __future__ import annotations

from typing import Any

from chorus.orgs.tests.matrix import Case

V1 = "/api/v1"
OK_PAGE = frozenset({200})
OK_REDIRECT = frozenset({302})


def _ws(t: Any, own: bool) -> str:
    org, workspace = (t.org, t.workspace) if own else (t.other_org, t.other_workspace)
    return f"/o/{org.slug}/w/{workspace.slug}/"


def _ws_id(t: Any, own: bool) -> int:
    return (t.workspace if own else t.other_workspace).pk


def _preset(t: Any, own: bool) -> int:
    return (t.utm_preset if own else t.other_utm_preset).pk


def _link(t: Any, own: bool) -> int:
    return (t.short_link if own else t.other_short_link).pk


def _form(t: Any, own: bool) -> dict[str, Any]:
    return {
        "name": "Newsletter",
        "campaign": "",
        "utm_source": "{network}",
        "utm_medium": "social",
        "utm_campaign": "{campaign}",
        "utm_term": "",
        "utm_content": "{post_id}",
    }


CASES: list[Case] = [
    # Web pages.
    Case(
        "web:links_report",
        "report.view",
        lambda t, own: _ws(t, own) + "links/",
        ok=OK_PAGE,
    ),
    Case("web:links_utm", "workspace.view", lambda t, own: _ws(t, own) + "links/utm/", ok=OK_PAGE),
    Case(
        "web:links_utm_create",
        "workspace.update",
        lambda t, own: _ws(t, own) + "links/utm/new/",
        method="POST",
        data=_form,
        ok=OK_REDIRECT,
    ),
    Case(
        "web:links_utm_edit",
        "workspace.update",
        lambda t, own: _ws(t, own) + f"links/utm/{_preset(t, own)}/",
        method="POST",
        data=_form,
        ok=OK_REDIRECT,
    ),
    Case(
        "web:links_utm_delete",
        "workspace.update",
        lambda t, own: _ws(t, own) + f"links/utm/{_preset(t, own)}/delete/",
        method="POST",
        ok=OK_REDIRECT,
    ),
    # API.
    Case(
        "GET /api/v1/workspaces/{workspace_id}/utm-presets",
        "workspace.view",
        lambda t, own: f"{V1}/workspaces/{_ws_id(t, own)}/utm-presets",
    ),
    Case(
        "POST /api/v1/workspaces/{workspace_id}/utm-presets",
        "workspace.update",
        lambda t, own: f"{V1}/workspaces/{_ws_id(t, own)}/utm-presets",
        method="POST",
        data=lambda t, own: {"name": "API preset", "utm_source": "{network}"},
    ),
    Case(
        "PATCH /api/v1/workspaces/{workspace_id}/utm-presets/{preset_id}",
        "workspace.update",
        lambda t, own: f"{V1}/workspaces/{_ws_id(t, own)}/utm-presets/{_preset(t, own)}",
        method="PATCH",
        data=lambda t, own: {"utm_medium": "organic"},
    ),
    Case(
        "DELETE /api/v1/workspaces/{workspace_id}/utm-presets/{preset_id}",
        "workspace.update",
        lambda t, own: f"{V1}/workspaces/{_ws_id(t, own)}/utm-presets/{_preset(t, own)}",
        method="DELETE",
    ),
    Case(
        "GET /api/v1/workspaces/{workspace_id}/short-links",
        "report.view",
        lambda t, own: f"{V1}/workspaces/{_ws_id(t, own)}/short-links",
    ),
    Case(
        "GET /api/v1/short-links/{link_id}/clicks",
        "report.view",
        lambda t, own: f"{V1}/short-links/{_link(t, own)}/clicks",
    ),
]
