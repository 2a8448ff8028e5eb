"""Disconnecting gives up Chorus' access on the network, where it can, before forgetting
the credentials; a network that does not answer does not keep the credentials alive."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from atproto import Session
from django.test import Client
from django.urls import reverse

from chorus.connectors.bluesky.setup import connect_bluesky
from chorus.connectors.bluesky.tests import network
from chorus.connectors.mastodon.models import MastodonApp
from chorus.connectors.mastodon.tests.conftest import serve
from chorus.connectors.mastodon.tests.replay import ReplayServer
from chorus.connectors.tests.registered import BLUESKY, MASTODON, connectors
from chorus.orgs import services
from chorus.orgs.models import SocialAccount

pytestmark = pytest.mark.django_db


@pytest.fixture
def networks(settings: Any) -> Iterator[None]:
    with connectors(settings, BLUESKY, MASTODON):
        yield


@pytest.fixture
def instance() -> Iterator[ReplayServer]:
    server = ReplayServer()
    yield server
    server.close()


def _mastodon_account(tenants: Any, instance: ReplayServer) -> SocialAccount:
    app = MastodonApp.objects.create(
        instance_url=instance.url,
        redirect_uri="http://testserver/accounts/mastodon/callback/",
        client_id="the-client",
        client_secret="the-client-secret",
        scopes="read write",
    )
    return SocialAccount.objects.create(
        workspace=tenants.workspace,
        network="mastodon",
        remote_id="117020565966271181@" + instance.url.split("//")[1],
        handle="@chorus@social.example.test",
        credentials={
            "instance_url": instance.url,
            "access_token": "the-access-token",
            "app_id": app.pk,
        },
    )


def _disconnect_page(tenants: Any, account: SocialAccount) -> Any:
    client = Client()
    client.force_login(tenants.users["manager"])
    return client.post(
        reverse(
            "web:account_disconnect", args=[tenants.org.slug, tenants.workspace.slug, account.pk]
        )
    )


def test_disconnecting_mastodon_revokes_the_token(tenants, networks, instance) -> None:
    serve(instance, "revoke", "POST", "/oauth/revoke")
    account = _mastodon_account(tenants, instance)

    assert _disconnect_page(tenants, account).status_code == 302

    revoked = instance.requests_to("POST", "/oauth/revoke")
    assert len(revoked) == 1
    form = revoked[0].form()
    assert form["token"] == ["the-access-token"]
    assert form["client_id"] == ["the-client"]
    account.refresh_from_db()
    assert account.status == SocialAccount.Status.DISCONNECTED
    assert account.credentials is None


def test_a_refused_revocation_is_logged_and_the_account_still_disconnected(
    tenants, networks, instance, caplog
) -> None:
    instance.add("POST", "/oauth/revoke", status=503, json_body={"error": "Down for maintenance"})
    account = _mastodon_account(tenants, instance)

    with caplog.at_level(logging.ERROR, logger="chorus.orgs.services"):
        services.disconnect_account(tenants.users["owner"], account)

    assert f"Revoking account {account.pk} on mastodon failed" in caplog.text
    account.refresh_from_db()
    assert (account.status, account.credentials) == (SocialAccount.Status.DISCONNECTED, None)


def test_a_network_without_a_connector_is_disconnected_all_the_same(tenants, caplog) -> None:
    account = SocialAccount.objects.create(
        workspace=tenants.workspace,
        network="myspace",
        remote_id="tom",
        handle="tom",
        credentials={"token": "x"},
    )

    with caplog.at_level(logging.WARNING, logger="chorus.orgs.services"):
        services.disconnect_account(tenants.users["owner"], account)

    assert "No connector for myspace" in caplog.text
    account.refresh_from_db()
    assert (account.status, account.credentials) == (SocialAccount.Status.DISCONNECTED, None)


def test_disconnecting_bluesky_ends_the_session_on_the_pds(tenants, networks) -> None:
    person = network.create_account("bye")
    account = connect_bluesky(
        tenants.users["manager"],
        tenants.workspace,
        identifier=person.handle,
        app_password=person.app_password,
        service_url=network.PDS,
    )
    refresh_jwt = Session.decode(account.credentials["session"]).refresh_jwt

    assert _disconnect_page(tenants, account).status_code == 302

    refreshed = httpx.post(
        f"{network.PDS}/xrpc/com.atproto.server.refreshSession",
        headers={"authorization": f"Bearer {refresh_jwt}"},
    )
    assert refreshed.status_code in (400, 401), refreshed.text
    account.refresh_from_db()
    assert (account.status, account.credentials) == (SocialAccount.Status.DISCONNECTED, None)
