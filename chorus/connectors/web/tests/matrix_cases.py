"""Permission-matrix rows for the accounts page and its API (see chorus/orgs/tests/matrix.py).

Connecting cannot succeed here: no Bluesky or Mastodon server answers the addresses used.
Roles allowed to connect reach the connect service and get its refusal (400 on a page,
422 from the API); the others are stopped before it, with 403.
"""

from typing import Any

from chorus.orgs.tests.matrix import Case

# Nothing listens on port 9 (discard): the connect services refuse it as unreachable.
UNREACHABLE = "http://127.0.0.1:9"


def _ws(t: Any, own: bool) -> Any:
    return t.workspace if own else t.other_workspace


def _accounts(t: Any, own: bool) -> str:
    ws = _ws(t, own)
    return f"/o/{ws.organisation.slug}/w/{ws.slug}/accounts/"


def _account(t: Any, own: bool) -> Any:
    return t.account if own else t.other_account


def _bluesky(t: Any, own: bool) -> dict[str, str]:
    return {
        "identifier": "alice.test",
        "app_password": "abcd-efgh-ijkl-mnop",
        "service_url": UNREACHABLE,
    }


def _mastodon(t: Any, own: bool) -> dict[str, str]:
    return {"instance_url": "ftp://mastodon.example.test"}


CASES: list[Case] = [
    Case("web:accounts", "account.view", _accounts, ok=frozenset({200})),
    Case(
        "web:account_connect_bluesky",
        "account.manage",
        lambda t, own: _accounts(t, own) + "bluesky/",
        method="POST",
        data=_bluesky,
        ok=frozenset({400}),
    ),
    Case(
        "web:account_connect_mastodon",
        "account.manage",
        lambda t, own: _accounts(t, own) + "mastodon/",
        method="POST",
        data=_mastodon,
        ok=frozenset({400}),
    ),
    Case(
        "web:account_reconnect",
        "account.manage",
        lambda t, own: f"{_accounts(t, own)}{_account(t, own).pk}/reconnect/",
        ok=frozenset({200}),
    ),
    Case(
        "web:account_check",
        "account.manage",
        lambda t, own: f"{_accounts(t, own)}{_account(t, own).pk}/check/",
        method="POST",
        ok=frozenset({302}),
    ),
    Case(
        "web:account_disconnect",
        "account.manage",
        lambda t, own: f"{_accounts(t, own)}{_account(t, own).pk}/disconnect/",
        method="POST",
        ok=frozenset({302}),
    ),
    # The person's own pending authorization, whatever their role: an unknown `state` is
    # refused by the service (the role is checked once the authorization is found).
    Case(
        "web:mastodon_callback",
        "self.update",
        lambda t, own: "/accounts/mastodon/callback/?state=not-a-state&code=abc",
        ok=frozenset({400}),
        cross_tenant=False,
    ),
    Case(
        "POST /api/v1/workspaces/{workspace_id}/accounts/bluesky",
        "account.manage",
        lambda t, own: f"/api/v1/workspaces/{_ws(t, own).pk}/accounts/bluesky",
        method="POST",
        data=_bluesky,
        ok=frozenset({422}),
    ),
    Case(
        "POST /api/v1/workspaces/{workspace_id}/accounts/mastodon/authorize",
        "account.manage",
        lambda t, own: f"/api/v1/workspaces/{_ws(t, own).pk}/accounts/mastodon/authorize",
        method="POST",
        data=_mastodon,
        ok=frozenset({422}),
    ),
    Case(
        "POST /api/v1/accounts/{account_id}/check",
        "account.manage",
        lambda t, own: f"/api/v1/accounts/{_account(t, own).pk}/check",
        method="POST",
        ok=frozenset({200}),
    ),
]
