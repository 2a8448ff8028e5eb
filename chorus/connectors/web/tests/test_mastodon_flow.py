"""Connecting a Mastodon account from the accounts page, through the instance and back.

The instance is the replay server of the Mastodon tests: recorded answers of a real
Mastodon server and fixtures written from docs.joinmastodon.org.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from chorus.connectors.mastodon.tests.conftest import serve
from chorus.connectors.mastodon.tests.replay import ReplayServer
from chorus.connectors.web.views import callback_url
from chorus.orgs.models import SocialAccount

pytestmark = pytest.mark.django_db


@pytest.fixture
def instance() -> Iterator[ReplayServer]:
    server = ReplayServer()
    server.replay("test_instance")
    serve(server, "oauth_authorization_server", "GET", "/.well-known/oauth-authorization-server")
    serve(server, "app", "POST", "/api/v1/apps")
    serve(server, "token", "POST", "/oauth/token")
    serve(server, "verify_credentials", "GET", "/api/v1/accounts/verify_credentials")
    yield server
    server.close()


def _accounts(tenants: Any) -> str:
    return reverse("web:accounts", args=[tenants.org.slug, tenants.workspace.slug])


def _manager(tenants: Any) -> Client:
    client = Client()
    client.force_login(tenants.users["manager"])
    return client


def _start(client: Client, tenants: Any, instance: ReplayServer) -> str:
    """Submit the instance form; return the `state` the instance is sent."""
    response = client.post(
        reverse("web:account_connect_mastodon", args=[tenants.org.slug, tenants.workspace.slug]),
        {"instance_url": instance.url},
    )
    assert response.status_code == 302
    authorize = urlsplit(response["Location"])
    assert f"{authorize.scheme}://{authorize.netloc}{authorize.path}" == (
        f"{instance.url}/oauth/authorize"
    )
    query = parse_qs(authorize.query)
    assert query["redirect_uri"] == [callback_url()]
    return query["state"][0]


def test_the_instance_sends_the_person_back_to_a_connected_account(tenants, instance) -> None:
    client = _manager(tenants)
    state = _start(client, tenants, instance)

    response = client.get(reverse("web:mastodon_callback"), {"state": state, "code": "the-code"})

    assert response.status_code == 302
    assert response["Location"] == _accounts(tenants)
    account = SocialAccount.objects.get(
        network="mastodon", handle="@mastodonpy_test@localhost:3000"
    )
    assert account.workspace == tenants.workspace
    page = client.get(response["Location"])
    assert [str(m) for m in page.context["messages"]] == [
        "Mastodon account @mastodonpy_test@localhost:3000 is connected."
    ]
    assert "John Lennon" in page.content.decode()
    assert not instance.unexpected


def test_access_denied_on_the_instance_is_explained_with_a_way_back(tenants, instance) -> None:
    client = _manager(tenants)
    state = _start(client, tenants, instance)

    response = client.get(
        reverse("web:mastodon_callback"),
        {"state": state, "error": "access_denied", "error_description": "The user said no"},
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert f"Access was denied on {instance.url}, so the account was not connected." in page
    assert f'href="{_accounts(tenants)}"' in page
    assert not SocialAccount.objects.filter(handle__contains="mastodonpy_test").exists()


def test_someone_elses_authorization_is_refused(tenants, instance) -> None:
    state = _start(_manager(tenants), tenants, instance)
    owner = Client()
    owner.force_login(tenants.users["owner"])

    response = owner.get(reverse("web:mastodon_callback"), {"state": state, "code": "the-code"})

    assert response.status_code == 400
    assert "unknown or was already used" in response.content.decode()
    assert not SocialAccount.objects.filter(handle__contains="mastodonpy_test").exists()


def test_reconnecting_sends_the_person_to_the_same_instance(tenants, instance) -> None:
    client = _manager(tenants)
    client.get(
        reverse("web:mastodon_callback"), {"state": _start(client, tenants, instance), "code": "c"}
    )
    account = SocialAccount.objects.get(handle="@mastodonpy_test@localhost:3000")
    SocialAccount.objects.filter(pk=account.pk).update(
        status=SocialAccount.Status.NEEDS_RECONNECT, last_error="The access token is invalid"
    )
    reconnect = reverse(
        "web:account_reconnect", args=[tenants.org.slug, tenants.workspace.slug, account.pk]
    )

    form = client.get(reconnect)
    assert form.context["form"]["instance_url"].value() == instance.url
    response = client.post(reconnect, {"instance_url": instance.url})
    state = parse_qs(urlsplit(response["Location"]).query)["state"][0]
    client.get(reverse("web:mastodon_callback"), {"state": state, "code": "again"})

    account.refresh_from_db()
    assert (account.status, account.last_error) == (SocialAccount.Status.ACTIVE, "")
    assert SocialAccount.objects.filter(handle="@mastodonpy_test@localhost:3000").count() == 1
