"""The accounts page and its actions, through Django's test client.

Bluesky accounts are connected for real, against the local AT Protocol network.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from chorus.connectors import health
from chorus.connectors.bluesky.setup import connect_bluesky
from chorus.connectors.bluesky.tests import network
from chorus.connectors.mastodon.models import MastodonApp
from chorus.orgs.models import SocialAccount
from chorus.publishing.tests.factories import due_post, webhook_account

pytestmark = pytest.mark.django_db

WORKING = {"url": "https://hooks.example.test/in", "secret": "whsec_c2VjcmV0"}


def _client(tenants: Any, role: str) -> Client:
    client = Client()
    client.force_login(tenants.users[role])
    return client


def _url(tenants: Any, name: str = "accounts", *args: Any) -> str:
    return reverse(f"web:{name}", args=[tenants.org.slug, tenants.workspace.slug, *args])


def _flash(response: Any) -> list[str]:
    return [str(m) for m in response.context["messages"]]


# The page --------------------------------------------------------------------------------


def test_a_manager_sees_every_account_with_its_health_and_actions(tenants) -> None:
    pictured = SocialAccount.objects.create(
        workspace=tenants.workspace,
        network="bluesky",
        remote_id="did:plc:acme",
        handle="acme.bsky.social",
        display_name="Acme Lao",
        avatar_url="https://cdn.example.test/acme.jpg",
        status=SocialAccount.Status.NEEDS_RECONNECT,
        last_error="The app password was revoked",
    )
    webhook_account(tenants.workspace, WORKING, name="zapier")

    response = _client(tenants, "manager").get(_url(tenants))

    assert response.status_code == 200
    page = response.content.decode()
    assert '<img src="https://cdn.example.test/acme.jpg" alt="Avatar of acme.bsky.social"' in page
    assert "Acme Lao" in page
    # No picture: the first letter of the name stands in.
    assert '<span aria-hidden="true">Z</span>' in page
    assert "Needs reconnecting: The app password was revoked" in page
    assert _url(tenants, "account_reconnect", pictured.pk) in page
    assert "Working" in page
    for label in ("Connect Bluesky", "Connect Mastodon", "Connect a webhook", "Check now"):
        assert label in page
    assert _url(tenants, "account_disconnect", pictured.pk) in page


def test_the_page_says_how_the_credentials_stand_without_showing_them(tenants) -> None:
    person = network.create_account("ui")
    connect_bluesky(
        tenants.users["manager"],
        tenants.workspace,
        identifier=person.handle,
        app_password=person.app_password,
        service_url=network.PDS,
    )
    account = SocialAccount.objects.get(network="bluesky")
    health.check_account(account)
    SocialAccount.objects.filter(pk=account.pk).update(
        status=SocialAccount.Status.NEEDS_RECONNECT, last_error="The app password was revoked"
    )
    due_post([account], "one")
    due_post([account], "two")
    app = MastodonApp.objects.create(
        instance_url="https://social.example.test",
        redirect_uri="https://chorus.example.test/accounts/mastodon/callback/",
        client_id="id",
        client_secret="secret",
        scopes="profile write:statuses",
    )
    SocialAccount.objects.filter(pk=tenants.account.pk).update(
        credentials={"access_token": "acme-secret", "app_id": app.pk}
    )

    page = _client(tenants, "editor").get(_url(tenants)).content.decode()

    row = page[page.index(f'id="account-{account.pk}"') :]
    assert "go out once it is reconnected (at once, for those whose time has passed)" in row
    assert "2 posts are waiting for it." in row
    assert "Credentials last checked:" in row
    assert "Session stored, last renewed:" in row
    assert "Access granted: profile, write:statuses" in page
    assert "Credentials not checked yet." in page  # the Mastodon account
    stored = SocialAccount.objects.get(pk=account.pk).credentials
    for secret in (person.app_password, stored["session"], "acme-secret"):
        assert secret not in page


def test_an_editor_sees_the_accounts_but_no_actions(tenants) -> None:
    response = _client(tenants, "editor").get(_url(tenants))

    assert response.status_code == 200
    page = response.content.decode()
    assert tenants.account.handle in page
    for label in ("Connect Bluesky", "Check now", "Disconnect", "Reconnect"):
        assert label not in page


def test_a_disconnected_account_says_so_and_offers_only_reconnecting(tenants) -> None:
    SocialAccount.objects.filter(pk=tenants.account.pk).update(
        status=SocialAccount.Status.DISCONNECTED, credentials=None
    )

    page = _client(tenants, "owner").get(_url(tenants)).content.decode()

    assert "Disconnected" in page
    assert "Connect it again to use it." in page
    assert _url(tenants, "account_reconnect", tenants.account.pk) in page
    assert _url(tenants, "account_check", tenants.account.pk) not in page
    assert _url(tenants, "account_disconnect", tenants.account.pk) not in page


def test_the_workspace_page_links_to_the_accounts_page(tenants) -> None:
    page = _client(tenants, "analyst").get(
        reverse("web:workspace", args=[tenants.org.slug, tenants.workspace.slug])
    )
    assert _url(tenants) in page.content.decode()


# Check now ------------------------------------------------------------------------------


def test_check_now_records_a_working_account(tenants) -> None:
    account = webhook_account(tenants.workspace, WORKING)

    response = _client(tenants, "admin").post(
        _url(tenants, "account_check", account.pk), follow=True
    )

    assert response.redirect_chain[-1][0] == _url(tenants)
    assert _flash(response) == ["hook: working."]
    account.refresh_from_db()
    assert account.last_success_at is not None


def test_check_now_says_what_is_wrong_and_what_to_do(tenants) -> None:
    account = webhook_account(tenants.workspace, {"url": WORKING["url"]})

    response = _client(tenants, "owner").post(
        _url(tenants, "account_check", account.pk), follow=True
    )

    assert _flash(response) == ["hook: Needs reconnecting: The webhook has no URL or secret"]
    account.refresh_from_db()
    assert account.status == SocialAccount.Status.NEEDS_RECONNECT


def test_check_now_is_a_post(tenants) -> None:
    response = _client(tenants, "owner").get(_url(tenants, "account_check", tenants.account.pk))
    assert response.status_code == 405


def test_another_workspaces_account_is_not_found(tenants) -> None:
    client = _client(tenants, "owner")
    other = tenants.other_account
    assert client.post(_url(tenants, "account_check", other.pk)).status_code == 404
    assert client.post(_url(tenants, "account_disconnect", other.pk)).status_code == 404
    assert client.get(_url(tenants, "account_reconnect", other.pk)).status_code == 404


# Disconnect -----------------------------------------------------------------------------


def test_disconnect_asks_first(tenants) -> None:
    response = _client(tenants, "owner").get(
        _url(tenants, "account_disconnect", tenants.account.pk)
    )

    assert response.status_code == 200
    assert "Disconnect @acme (Mastodon)?" in response.content.decode()
    tenants.account.refresh_from_db()
    assert tenants.account.status == SocialAccount.Status.ACTIVE


def test_disconnect_forgets_the_credentials(tenants) -> None:
    account = webhook_account(tenants.workspace, WORKING)

    response = _client(tenants, "manager").post(
        _url(tenants, "account_disconnect", account.pk), follow=True
    )

    assert _flash(response) == ["hook is disconnected."]
    account.refresh_from_db()
    assert account.status == SocialAccount.Status.DISCONNECTED
    assert account.credentials is None


# Bluesky --------------------------------------------------------------------------------


def test_the_bluesky_form_explains_app_passwords_and_hides_the_server_field(tenants) -> None:
    page = _client(tenants, "owner").get(_url(tenants, "account_connect_bluesky")).content.decode()

    assert 'href="https://bsky.app/settings/app-passwords"' in page
    assert "<details>" in page  # closed: most accounts live on bsky.social
    assert 'name="service_url"' in page


def test_connecting_bluesky_lists_the_account(tenants) -> None:
    person = network.create_account("ui")

    response = _client(tenants, "manager").post(
        _url(tenants, "account_connect_bluesky"),
        {
            "identifier": person.handle,
            "app_password": person.app_password,
            "service_url": network.PDS,
        },
        follow=True,
    )

    assert response.redirect_chain[-1][0] == _url(tenants)
    assert _flash(response) == [f"Bluesky account {person.handle} is connected."]
    account = SocialAccount.objects.get(network="bluesky")
    assert (account.remote_id, account.handle) == (person.did, person.handle)
    assert person.handle in response.content.decode()


def test_a_wrong_app_password_is_shown_on_the_form(tenants) -> None:
    person = network.create_account("ui")

    response = _client(tenants, "manager").post(
        _url(tenants, "account_connect_bluesky"),
        {
            "identifier": person.handle,
            "app_password": "aaaa-bbbb-cccc-dddd",
            "service_url": network.PDS,
        },
    )

    assert response.status_code == 400
    errors = response.context["form"].errors
    assert list(errors) == ["app_password"]
    page = response.content.decode()
    assert errors["app_password"][0] in page.replace("&#x27;", "'").replace("&quot;", '"')
    assert "aaaa-bbbb-cccc-dddd" not in page  # a password is never sent back
    assert "<details open>" in page  # the custom server stays visible
    assert not SocialAccount.objects.filter(network="bluesky").exists()


def test_an_unreachable_server_is_named(tenants) -> None:
    response = _client(tenants, "manager").post(
        _url(tenants, "account_connect_bluesky"),
        {
            "identifier": "alice.test",
            "app_password": "aaaa-bbbb-cccc-dddd",
            "service_url": "http://127.0.0.1:9",
        },
    )

    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["service_url"]
    assert "http://127.0.0.1:9" in response.context["form"].errors["service_url"][0]


def test_reconnecting_bluesky_fills_in_the_account_and_updates_it(tenants) -> None:
    person = network.create_account("ui")
    client = _client(tenants, "owner")
    client.post(
        _url(tenants, "account_connect_bluesky"),
        {
            "identifier": person.handle,
            "app_password": person.app_password,
            "service_url": network.PDS,
        },
    )
    account = SocialAccount.objects.get(network="bluesky")
    SocialAccount.objects.filter(pk=account.pk).update(
        status=SocialAccount.Status.NEEDS_RECONNECT, last_error="revoked"
    )

    form = client.get(_url(tenants, "account_reconnect", account.pk))

    assert form.status_code == 200
    assert form.context["form"]["identifier"].value() == person.handle
    assert form.context["form"]["service_url"].value() == network.PDS
    assert f"Reconnect {person.handle}" in form.content.decode()

    response = client.post(
        _url(tenants, "account_reconnect", account.pk),
        {
            "identifier": person.handle,
            "app_password": person.app_password,
            "service_url": network.PDS,
        },
    )

    assert response.status_code == 302
    account.refresh_from_db()
    assert (account.status, account.last_error) == (SocialAccount.Status.ACTIVE, "")
    assert SocialAccount.objects.filter(network="bluesky").count() == 1


def test_a_webhook_is_not_reconnected_here(tenants) -> None:
    account = webhook_account(tenants.workspace, WORKING)
    response = _client(tenants, "owner").get(_url(tenants, "account_reconnect", account.pk))
    assert response.status_code == 404


# Mastodon -------------------------------------------------------------------------------


def test_a_bad_instance_address_is_shown_on_the_form(tenants) -> None:
    response = _client(tenants, "manager").post(
        _url(tenants, "account_connect_mastodon"), {"instance_url": "ftp://mastodon.example.test"}
    )

    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["instance_url"]


def test_reconnecting_mastodon_offers_the_same_instance(tenants) -> None:
    SocialAccount.objects.filter(pk=tenants.account.pk).update(
        credentials={"instance_url": "https://social.example.test", "access_token": "t"}
    )

    form = _client(tenants, "owner").get(_url(tenants, "account_reconnect", tenants.account.pk))

    assert form.context["form"]["instance_url"].value() == "https://social.example.test"


def test_a_disconnected_mastodon_account_is_reconnected_at_its_server(tenants) -> None:
    SocialAccount.objects.filter(pk=tenants.account.pk).update(
        remote_id="1001@social.example.test", credentials=None
    )

    form = _client(tenants, "owner").get(_url(tenants, "account_reconnect", tenants.account.pk))

    assert form.context["form"]["instance_url"].value() == "https://social.example.test"


def test_an_unknown_authorization_is_explained(tenants) -> None:
    response = _client(tenants, "editor").get(
        reverse("web:mastodon_callback"), {"state": "forged", "code": "abc"}
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "This Mastodon authorization is unknown or was already used." in page
    assert reverse("web:home") in page


def test_check_now_on_a_disconnected_account_says_to_connect_it_again(tenants) -> None:
    SocialAccount.objects.filter(pk=tenants.account.pk).update(
        status=SocialAccount.Status.DISCONNECTED, credentials=None
    )

    response = _client(tenants, "owner").post(
        _url(tenants, "account_check", tenants.account.pk), follow=True
    )

    assert _flash(response) == ["This account is disconnected. Connect it again to use it."]
