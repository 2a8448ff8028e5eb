"""Small builders shared by the composer's page tests."""

from __future__ import annotations

from typing import Any

from chorus.orgs.models import SocialAccount, Workspace


def ws_url(tenants: Any, suffix: str = "") -> str:
    return f"/o/{tenants.org.slug}/w/{tenants.workspace.slug}/{suffix}"


def account(workspace: Workspace, network: str, handle: str, **fields: Any) -> SocialAccount:
    return SocialAccount.objects.create(
        workspace=workspace,
        network=network,
        remote_id=f"{network}-{handle}",
        handle=handle,
        credentials={},
        **fields,
    )


def form(accounts: list[SocialAccount], text: str = "Hello", **fields: Any) -> dict[str, Any]:
    return {"accounts": [a.pk for a in accounts], "text": text, **fields}
