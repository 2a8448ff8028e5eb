from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from chorus.connectors.mastodon.instance import summary
from chorus.connectors.mastodon.tests.replay import ReplayServer, fixture, load_cassette
from chorus.orgs.models import SocialAccount

REDIRECT_URI = "http://testserver/accounts/mastodon/callback/"


@pytest.fixture
def replay() -> Iterator[ReplayServer]:
    server = ReplayServer()
    yield server
    server.close()


def serve(
    replay: ReplayServer,
    name: str,
    method: str,
    path: str,
    *,
    status: int = 200,
    query: dict[str, str] | None = None,
) -> None:
    """Answer `method path` (with `query`) with our fixture `name` (from
    docs.joinmastodon.org)."""
    data = fixture(name)
    headers = data.get("headers") or {}
    body = data["body"]
    if isinstance(body, str):
        replay.add(method, path, status=status, body=body, headers=headers, query=query)
    else:
        replay.add(method, path, status=status, json_body=body, headers=headers, query=query)


def recorded_instance() -> dict[str, Any]:
    import json

    return json.loads(load_cassette("test_instance")[0]["response"]["body"]["string"])


@pytest.fixture
def instance(replay: ReplayServer) -> ReplayServer:
    """A Mastodon 4.6 instance: its recorded /api/v2/instance and OAuth metadata."""
    replay.replay("test_instance")
    serve(replay, "oauth_authorization_server", "GET", "/.well-known/oauth-authorization-server")
    return replay


@pytest.fixture
def account(tenants: Any, replay: ReplayServer) -> SocialAccount:
    """A connected account on the replay instance (as complete_authorization leaves it)."""
    return SocialAccount.objects.create(
        workspace=tenants.workspace,
        network="mastodon",
        remote_id=f"117020565966271181@{replay.url.split('//')[1]}",
        handle="@mastodonpy_test@localhost:3000",
        credentials={
            "instance_url": replay.url,
            "access_token": "__MASTODON_PY_TEST_ACCESS_TOKEN",
            "instance": summary(recorded_instance(), replay.url),
            "app_id": None,
        },
    )
