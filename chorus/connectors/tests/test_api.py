"""Connecting Bluesky and Mastodon accounts and checking accounts over the API.

Bluesky answers from the local AT Protocol network; Mastodon from the replay server of
recorded answers (chorus/connectors/mastodon/tests/replay.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from chorus.api.tests.conftest import ApiClient
from chorus.connectors.bluesky.tests import network
from chorus.connectors.mastodon.models import MastodonAuthorization
from chorus.connectors.mastodon.tests.conftest import serve
from chorus.connectors.mastodon.tests.replay import ReplayServer
from chorus.connectors.tests.registered import BLUESKY, connectors
from chorus.connectors.web.views import callback_url
from chorus.orgs.models import SocialAccount
from chorus.publishing.tests.factories import webhook_account

pytestmark = pytest.mark.django_db


def _api(tenants: Any, role: str = "manager") -> ApiClient:
    return ApiClient(tenants.users[role])


def test_it_connects_a_bluesky_account(tenants) -> None:
    person = network.create_account("api")

    response = _api(tenants).post(
        f"/workspaces/{tenants.workspace.pk}/accounts/bluesky",
        {
            "identifier": person.handle,
            "app_password": person.app_password,
            "service_url": network.PDS,
        },
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["network"], body["remote_id"], body["handle"]) == (
        "bluesky",
        person.did,
        person.handle,
    )
    assert body["status"] == "active"
    assert person.app_password.encode() not in response.content
    assert "credentials" not in body


def test_a_wrong_app_password_is_a_422_naming_the_field(tenants) -> None:
    person = network.create_account("api")

    response = _api(tenants).post(
        f"/workspaces/{tenants.workspace.pk}/accounts/bluesky",
        {
            "identifier": person.handle,
            "app_password": "aaaa-bbbb-cccc-dddd",
            "service_url": network.PDS,
        },
    )

    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["app_password"]
    assert not SocialAccount.objects.filter(network="bluesky").exists()


def test_an_editor_cannot_connect(tenants) -> None:
    response = _api(tenants, "editor").post(
        f"/workspaces/{tenants.workspace.pk}/accounts/bluesky",
        {"identifier": "a.test", "app_password": "aaaa-bbbb-cccc-dddd"},
    )
    assert response.status_code == 403


@pytest.fixture
def instance() -> Iterator[ReplayServer]:
    server = ReplayServer()
    server.replay("test_instance")
    serve(server, "oauth_authorization_server", "GET", "/.well-known/oauth-authorization-server")
    serve(server, "app", "POST", "/api/v1/apps")
    yield server
    server.close()


def test_it_answers_the_mastodon_authorization_address(tenants, instance) -> None:
    response = _api(tenants).post(
        f"/workspaces/{tenants.workspace.pk}/accounts/mastodon/authorize",
        {"instance_url": instance.url},
    )

    assert response.status_code == 200, response.content
    authorize = urlsplit(response.json()["authorize_url"])
    assert f"{authorize.scheme}://{authorize.netloc}{authorize.path}" == (
        f"{instance.url}/oauth/authorize"
    )
    assert parse_qs(authorize.query)["redirect_uri"] == [callback_url()]
    pending = MastodonAuthorization.objects.get()
    assert (pending.user, pending.workspace) == (tenants.users["manager"], tenants.workspace)


def test_a_server_that_is_not_mastodon_is_a_422(tenants) -> None:
    response = _api(tenants).post(
        f"/workspaces/{tenants.workspace.pk}/accounts/mastodon/authorize",
        {"instance_url": network.PDS},  # an AT Protocol server, not a Mastodon one
    )

    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["instance_url"]
    assert not MastodonAuthorization.objects.exists()


def test_check_answers_the_accounts_health(tenants) -> None:
    account = webhook_account(
        tenants.workspace, {"url": "https://hooks.example.test/in", "secret": "whsec_c2VjcmV0"}
    )

    response = _api(tenants, "admin").post(f"/accounts/{account.pk}/check")

    assert response.status_code == 200
    body = response.json()
    assert (body["working"], body["health"], body["next_step"]) == (
        True,
        "Working",
        "Nothing to do.",
    )
    assert body["last_success_at"] is not None
    assert "secret" not in response.content.decode()


def test_check_reports_refused_credentials(tenants) -> None:
    account = webhook_account(tenants.workspace, {})

    body = _api(tenants).post(f"/accounts/{account.pk}/check").json()

    assert body["working"] is False
    assert body["status"] == "needs_reconnect"
    assert body["health"] == "Needs reconnecting: The webhook has no URL or secret"


def test_a_revoked_bluesky_app_password_needs_reconnecting(tenants, settings) -> None:
    person = network.create_account("api")
    api = _api(tenants)
    connected = api.post(
        f"/workspaces/{tenants.workspace.pk}/accounts/bluesky",
        {
            "identifier": person.handle,
            "app_password": person.app_password,
            "service_url": network.PDS,
        },
    ).json()
    # The person revokes the app password in their Bluesky settings.
    with httpx.Client(base_url=network.PDS) as pds:
        session = pds.post(
            "/xrpc/com.atproto.server.createSession",
            json={"identifier": person.handle, "password": person.password},
        ).json()
        pds.post(
            "/xrpc/com.atproto.server.revokeAppPassword",
            json={"name": "chorus-test"},
            headers={"authorization": f"Bearer {session['accessJwt']}"},
        ).raise_for_status()

    with connectors(settings, BLUESKY):
        body = api.post(f"/accounts/{connected['id']}/check").json()

    assert body["working"] is False
    assert body["status"] == "needs_reconnect"
    assert body["health"].startswith("Needs reconnecting: ")
    assert "reconnect" in body["last_error"].lower()


def test_a_disconnected_account_is_not_checked(tenants) -> None:
    SocialAccount.objects.filter(pk=tenants.account.pk).update(
        status=SocialAccount.Status.DISCONNECTED, credentials=None
    )

    response = _api(tenants).post(f"/accounts/{tenants.account.pk}/check")

    assert response.status_code == 422
    assert "disconnected" in response.json()["detail"]
