from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from chorus.connectors.bluesky.setup import connect_bluesky
from chorus.connectors.bluesky.tests import network
from chorus.orgs.models import SocialAccount
from chorus.publishing.bulk.tests.helpers import file_server


def _connect(tenants, **fields):  # type: ignore[no-untyped-def]
    return connect_bluesky(tenants.users["manager"], tenants.workspace, **fields)


def _error_on(field: str, tenants, **fields) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as raised:
        _connect(tenants, **fields)
    errors = raised.value.message_dict
    assert list(errors) == [field], errors
    assert not SocialAccount.objects.filter(network="bluesky").exists()
    return errors[field][0]


@pytest.mark.django_db
def test_it_connects_with_handle_and_app_password_at_a_custom_pds(tenants, bsky_account) -> None:
    account = _connect(
        tenants,
        identifier=f"@{bsky_account.handle}",
        app_password=bsky_account.app_password,
        service_url=network.PDS + "/",
    )
    assert account.network == "bluesky"
    assert account.remote_id == bsky_account.did
    assert account.handle == bsky_account.handle
    assert account.status == SocialAccount.Status.ACTIVE
    assert account.last_success_at is not None
    stored = SocialAccount.objects.get(pk=account.pk).credentials
    assert stored["did"] == bsky_account.did
    assert stored["service"] == network.PDS
    assert stored["app_password"] == bsky_account.app_password
    assert stored["session"].split(":::")[1] == bsky_account.did


@pytest.mark.django_db
def test_reconnecting_the_same_did_updates_the_row(tenants, bsky_account) -> None:
    first = _connect(
        tenants,
        identifier=bsky_account.handle,
        app_password=bsky_account.app_password,
        service_url=network.PDS,
    )
    SocialAccount.objects.filter(pk=first.pk).update(
        status=SocialAccount.Status.NEEDS_RECONNECT, last_error="revoked"
    )
    again = _connect(
        tenants,
        identifier=bsky_account.did,
        app_password=bsky_account.app_password,
        service_url=network.PDS,
    )
    assert again.pk == first.pk
    again.refresh_from_db()
    assert again.status == SocialAccount.Status.ACTIVE
    assert again.last_error == ""
    assert SocialAccount.objects.filter(network="bluesky").count() == 1


@pytest.mark.django_db
def test_it_saves_the_profile_name_when_the_appview_has_it(tenants, bsky_account) -> None:
    from atproto import Client

    client = Client(base_url=network.PDS)
    client.login(bsky_account.handle, bsky_account.app_password, fetch_bsky_profile=False)
    client.com.atproto.repo.put_record(
        {
            "repo": bsky_account.did,
            "collection": "app.bsky.actor.profile",
            "rkey": "self",
            "record": {"$type": "app.bsky.actor.profile", "displayName": "Acme Lao"},
        }
    )

    def named() -> str | None:
        profile = client.app.bsky.actor.get_profile({"actor": bsky_account.did})
        return profile.display_name

    network.eventually(named)
    account = _connect(
        tenants,
        identifier=bsky_account.handle,
        app_password=bsky_account.app_password,
        service_url=network.PDS,
    )
    assert account.display_name == "Acme Lao"


@pytest.mark.django_db
def test_a_wrong_app_password_is_refused_on_that_field(tenants, bsky_account) -> None:
    message = _error_on(
        "app_password",
        tenants,
        identifier=bsky_account.handle,
        app_password="aaaa-bbbb-cccc-dddd",
        service_url=network.PDS,
    )
    assert "refused this app password" in message


@pytest.mark.django_db
def test_the_account_password_itself_is_refused(tenants, bsky_account) -> None:
    message = _error_on(
        "app_password",
        tenants,
        identifier=bsky_account.handle,
        app_password=bsky_account.password,
        service_url=network.PDS,
    )
    assert "own password" in message


@pytest.mark.django_db
def test_an_unknown_handle_is_refused_on_the_identifier(tenants, atp_network) -> None:
    message = _error_on(
        "identifier",
        tenants,
        identifier="nobody-here.test",
        app_password="aaaa-bbbb-cccc-dddd",
        service_url=network.PDS,
    )
    assert "@nobody-here.test" in message


@pytest.mark.django_db
def test_an_unreachable_service_is_refused_on_its_field(tenants) -> None:
    message = _error_on(
        "service_url",
        tenants,
        identifier="someone.test",
        app_password="aaaa-bbbb-cccc-dddd",
        service_url="http://127.0.0.1:9",
    )
    assert "could not reach http://127.0.0.1:9 (no connection could be made)" in message
    # What the socket said (errno, addresses) goes to the log, not to the person.
    assert "Errno" not in message and "ConnectError" not in message


@pytest.mark.django_db
def test_a_server_that_is_not_atproto_is_refused_on_its_field(tenants) -> None:
    page = (200, b"<html><title>Shop</title></html>", {"Content-Type": "text/html"})
    with file_server({"/": page}) as url:
        message = _error_on(
            "service_url",
            tenants,
            identifier="someone.test",
            app_password="aaaa-bbbb-cccc-dddd",
            service_url=url,
        )
    assert "not as an AT Protocol server" in message


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "fields"),
    [
        ("identifier", {"identifier": " ", "app_password": "x"}),
        ("app_password", {"identifier": "a.test", "app_password": ""}),
        ("service_url", {"identifier": "a.test", "app_password": "x", "service_url": "ftp://x"}),
    ],
)
def test_missing_or_malformed_fields_are_named(tenants, field, fields) -> None:  # type: ignore[no-untyped-def]
    _error_on(field, tenants, **fields)


@pytest.mark.django_db
def test_an_analyst_may_not_connect(tenants, bsky_account) -> None:
    from chorus.orgs.policy import Forbidden

    with pytest.raises(Forbidden):
        connect_bluesky(
            tenants.users["analyst"],
            tenants.workspace,
            identifier=bsky_account.handle,
            app_password=bsky_account.app_password,
            service_url=network.PDS,
        )


@pytest.mark.django_db
def test_reconnecting_as_another_account_is_refused(tenants, bsky_account, bsky_other) -> None:
    first = _connect(
        tenants,
        identifier=bsky_account.handle,
        app_password=bsky_account.app_password,
        service_url=network.PDS,
    )
    with pytest.raises(ValidationError) as raised:
        _connect(
            tenants,
            identifier=bsky_other.handle,
            app_password=bsky_other.app_password,
            service_url=network.PDS,
            expected_did=first.remote_id,
        )
    message = raised.value.message_dict["identifier"][0]
    assert f"another account (@{bsky_other.handle})" in message
    assert f"sign in as @{bsky_account.handle} to reconnect it" in message
    assert list(SocialAccount.objects.filter(network="bluesky")) == [first]
    again = _connect(
        tenants,
        identifier=bsky_account.handle,
        app_password=bsky_account.app_password,
        service_url=network.PDS,
        expected_did=first.remote_id,
    )
    assert again.pk == first.pk


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["http://bsky.example.com", "http://10.0.0.8:2583", "http://[fd00::1]"]
)
def test_plain_http_is_refused_off_this_machine(tenants, url) -> None:  # type: ignore[no-untyped-def]
    message = _error_on(
        "service_url", tenants, identifier="someone.test", app_password="x", service_url=url
    )
    assert "not an https:// address" in message
    assert "unencrypted" in message


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        network.PDS,  # loopback counts as private
        "https://127.0.0.1:2583",
        "https://169.254.169.254",  # cloud metadata
        "https://10.1.2.3",
        "https://192.168.0.10:8443",
        "https://[::1]",
        "https://0.0.0.0",
    ],
)
def test_private_servers_are_refused_unless_allowed(tenants, settings, url) -> None:  # type: ignore[no-untyped-def]
    settings.CHORUS_CONNECT_PRIVATE = False
    message = _error_on(
        "service_url", tenants, identifier="someone.test", app_password="x", service_url=url
    )
    assert "private network" in message
    assert "CHORUS_CONNECT_PRIVATE" in message


@pytest.mark.django_db
def test_a_private_server_connects_when_allowed(tenants, settings, bsky_account) -> None:
    settings.CHORUS_CONNECT_PRIVATE = True
    account = _connect(
        tenants,
        identifier=bsky_account.handle,
        app_password=bsky_account.app_password,
        # Not the address the DID document names (localhost): that one is checked too.
        service_url="http://127.0.0.1:2583",
    )
    assert account.remote_id == bsky_account.did
