"""Permission-matrix rows for bulk import and export (see chorus/orgs/tests/matrix.py)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from chorus.orgs.tests.matrix import Case

V1 = "/api/v1"


def _ws(t: Any, own: bool) -> str:
    org, workspace = (t.org, t.workspace) if own else (t.other_org, t.other_workspace)
    return f"/o/{org.slug}/w/{workspace.slug}/"


def _workspace_id(t: Any, own: bool) -> int:
    return (t.workspace if own else t.other_workspace).pk


def _dry_run(t: Any, own: bool) -> dict[str, Any]:
    # The matrix sends JSON, which the import takes as the file's text; a dry run, so an
    # allowed role gets its report (200) and nothing is written either way.
    when = timezone.now() + timedelta(days=3)
    return {
        "format": "csv",
        "dry_run": True,
        "content": f"scheduled_at,accounts,text\n{when:%Y-%m-%d %H:%M},@acme,Matrix import\n",
    }


CASES: list[Case] = [
    Case("web:posts_import", "post.create", lambda t, own: _ws(t, own) + "posts/import/"),
    Case("web:posts_export", "post.view", lambda t, own: _ws(t, own) + "posts/export/"),
    Case(
        "POST /api/v1/workspaces/{workspace_id}/posts/import",
        "post.create",
        lambda t, own: f"{V1}/workspaces/{_workspace_id(t, own)}/posts/import",
        method="POST",
        data=_dry_run,
        ok=frozenset({200}),
    ),
    Case(
        "GET /api/v1/workspaces/{workspace_id}/posts/export",
        "post.view",
        lambda t, own: f"{V1}/workspaces/{_workspace_id(t, own)}/posts/export?format=json",
    ),
]
