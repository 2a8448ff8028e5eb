from __future__ import annotations

import socket
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.exceptions import ValidationError

from chorus.connectors.mastodon.models import MastodonApp, MastodonAuthorization
from chorus.connectors.mastodon.setup import begin_authorization, complete_authorization
from chorus.connectors.mastodon.tests.conftest import REDIRECT_URI, serve
from chorus.connectors.mastodon.tests.replay import ReplayServer
from chorus.orgs.models import SocialAccount
from chorus.orgs.policy import Forbidden


def _oauth(replay: ReplayServer) -> None:
    serve(replay, "app", "POST", "/api/v1/apps")
    serve(replay, "token", "POST", "/oauth/token")
    serve(replay, "verify_credentials", "GET", "/api/v1/accounts/verify_credentials")


def _begin(tenants: Any, replay: ReplayServer, role: str = "manager") -> str:
    url = begin_authorization(
        tenants.users[role],
        tenants.workspace,
        instance_url=replay.url,
        redirect_uri=REDIRECT_URI,
    )
    return parse_qs(urlsplit(url).query)["state"][0]


def _message(error: ValidationError) -> str:
    return " ".join(m for messages in error.message_dict.values() for m in messages)


@pytest.mark.django_db
def test_it_connects_an_account_through_oauth(tenants, instance) -> None:
    _oauth(instance)
    url = begin_authorization(
        tenants.users["manager"],
        tenants.workspace,
        instance_url=instance.url,
        redirect_uri=REDIRECT_URI,
    )
    assert url.startswith(f"{instance.url}/oauth/authorize?")
    query = parse_qs(urlsplit(url).query)
    assert query["client_id"] == ["TWhM-tNSuncnqN7DBJmoyeLnk6K3iJJ71KKXxgL1hPM"]
    assert query["redirect_uri"] == [REDIRECT_URI]
    assert query["response_type"] == ["code"]
    assert query["scope"] == ["profile read:statuses read:notifications write:statuses write:media"]
    state = query["state"][0]
    assert len(state) >= 40
    registered = instance.requests_to("POST", "/api/v1/apps")[0].form()
    assert registered["client_name"] == ["Chorus"]
    assert registered["redirect_uris"] == [REDIRECT_URI]
    app = MastodonApp.objects.get()
    assert app.client_secret == "ZEaFUFmF0umgBX1qKJDjaU99Q31lDkOU8NutzTOoliw"

    account = complete_authorization(tenants.users["manager"], state=state, code="the-code")

    exchanged = instance.requests_to("POST", "/oauth/token")[0].form()
    assert exchanged["grant_type"] == ["authorization_code"]
    assert exchanged["code"] == ["the-code"]
    assert exchanged["redirect_uri"] == [REDIRECT_URI]
    assert exchanged["client_secret"] == ["ZEaFUFmF0umgBX1qKJDjaU99Q31lDkOU8NutzTOoliw"]
    host = urlsplit(instance.url).netloc
    assert account.network == "mastodon"
    assert account.remote_id == f"117020565966271181@{host}"
    assert account.handle == "@mastodonpy_test@localhost:3000"
    assert account.display_name == "John Lennon"
    assert account.avatar_url == f"{instance.url}/avatars/original/me.jpg"
    credentials = account.credentials
    assert credentials["instance_url"] == instance.url
    assert credentials["access_token"] == "ZA-Yj3aBD8U8Cm7lKUp-lm9O9BmDgdhHzDeqsY8tlL0"
    assert credentials["app_id"] == app.pk
    assert credentials["instance"]["max_characters"] == 500
    assert credentials["instance"]["version"] == "4.6.4"
    assert credentials["instance"]["configuration"]["polls"]["max_options"] == 4
    assert credentials["instance"]["configuration"]["media_attachments"]["image_size_limit"] == (
        16777216
    )
    assert not MastodonAuthorization.objects.exists()  # single use
    assert not instance.unexpected


@pytest.mark.django_db
def test_the_app_is_registered_once_per_instance_and_reconnecting_updates_the_account(
    tenants, instance
) -> None:
    _oauth(instance)
    first = complete_authorization(
        tenants.users["manager"], state=_begin(tenants, instance), code="one"
    )
    SocialAccount.objects.filter(pk=first.pk).update(
        status=SocialAccount.Status.NEEDS_RECONNECT, last_error="The access token is invalid"
    )
    again = complete_authorization(
        tenants.users["owner"], state=_begin(tenants, instance, "owner"), code="two"
    )
    assert again.pk == first.pk
    assert again.status == SocialAccount.Status.ACTIVE and again.last_error == ""
    assert len(instance.requests_to("POST", "/api/v1/apps")) == 1
    assert MastodonApp.objects.count() == 1
    assert (
        SocialAccount.objects.filter(network="mastodon", handle__contains="localhost").count() == 1
    )


@pytest.mark.django_db
def test_it_falls_back_to_broad_scopes_where_granular_ones_are_refused(tenants, instance) -> None:
    serve(instance, "app_refused", "POST", "/api/v1/apps", status=422)
    serve(instance, "app", "POST", "/api/v1/apps")
    url = begin_authorization(
        tenants.users["manager"],
        tenants.workspace,
        instance_url=instance.url,
        redirect_uri=REDIRECT_URI,
    )
    assert parse_qs(urlsplit(url).query)["scope"] == ["read write"]
    asked = [r.form()["scopes"][0] for r in instance.requests_to("POST", "/api/v1/apps")]
    assert asked == [
        "profile read:statuses read:notifications write:statuses write:media",
        "read write",
    ]
    assert MastodonApp.objects.get().scopes == "read write"


@pytest.mark.django_db
def test_it_reads_the_v1_instance_when_v2_is_missing(tenants, replay) -> None:
    replay.add("GET", "/api/v2/instance", status=404, json_body={"error": "Not Found"})
    replay.replay("test_instance_v1")
    serve(replay, "oauth_authorization_server", "GET", "/.well-known/oauth-authorization-server")
    _oauth(replay)
    account = complete_authorization(
        tenants.users["manager"], state=_begin(tenants, replay), code="c"
    )
    assert account.credentials["instance"]["max_characters"] == 500
    assert account.credentials["instance"]["version"] == "4.6.4"


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("instance_url", "expected"),
    [
        ("", "Enter the address of your Mastodon instance."),
        ("ftp://mastodon.example", "Enter the address of a Mastodon instance"),
        ("https://", "Enter the address of a Mastodon instance"),
        ("http://mastodon.social", "Use an https:// address"),
        ("https://user:pw@mastodon.social", "Leave the user name and password out"),
    ],
)
def test_it_refuses_bad_instance_addresses(tenants, instance_url, expected) -> None:
    with pytest.raises(ValidationError) as raised:
        begin_authorization(
            tenants.users["manager"],
            tenants.workspace,
            instance_url=instance_url,
            redirect_uri=REDIRECT_URI,
        )
    assert expected in _message(raised.value)
    assert not MastodonApp.objects.exists()


@pytest.mark.django_db
def test_it_says_when_the_instance_cannot_be_reached(tenants) -> None:
    url = f"http://127.0.0.1:{_closed_port()}"
    with pytest.raises(ValidationError) as raised:
        begin_authorization(
            tenants.users["manager"], tenants.workspace, instance_url=url, redirect_uri=REDIRECT_URI
        )
    assert f"Could not reach {url}" in _message(raised.value)
    assert "instance_url" in raised.value.message_dict


@pytest.mark.django_db
@pytest.mark.parametrize("answer", ["html", "not_found"])
def test_it_says_when_the_server_is_not_mastodon(tenants, replay, answer) -> None:
    for path in ("/api/v2/instance", "/api/v1/instance"):
        if answer == "html":
            replay.add(
                "GET",
                path,
                body="<!doctype html><title>My blog</title>",
                headers={"content-type": "text/html"},
            )
        else:
            replay.add(
                "GET", path, status=404, body="Not here", headers={"content-type": "text/plain"}
            )
    with pytest.raises(ValidationError) as raised:
        begin_authorization(
            tenants.users["manager"],
            tenants.workspace,
            instance_url=replay.url,
            redirect_uri=REDIRECT_URI,
        )
    assert "does not answer like a Mastodon server" in _message(raised.value)
    assert not replay.requests_to("POST", "/api/v1/apps")


@pytest.mark.django_db
def test_a_denied_authorization_connects_nothing(tenants, instance) -> None:
    _oauth(instance)
    state = _begin(tenants, instance)
    with pytest.raises(ValidationError) as raised:
        complete_authorization(tenants.users["manager"], state=state, error="access_denied")
    assert "Access was denied" in _message(raised.value)
    assert not SocialAccount.objects.filter(handle__contains="mastodonpy_test").exists()
    assert not instance.requests_to("POST", "/oauth/token")


@pytest.mark.django_db
def test_wrong_reused_foreign_or_expired_states_are_refused(tenants, instance) -> None:
    _oauth(instance)
    with pytest.raises(ValidationError) as raised:
        complete_authorization(tenants.users["manager"], state="made-up", code="c")
    assert "unknown or was already used" in _message(raised.value)

    state = _begin(tenants, instance)
    with pytest.raises(ValidationError):
        complete_authorization(tenants.users["owner"], state=state, code="c")  # not theirs

    complete_authorization(tenants.users["manager"], state=state, code="c")
    with pytest.raises(ValidationError) as raised:
        complete_authorization(tenants.users["manager"], state=state, code="c")
    assert "unknown or was already used" in _message(raised.value)

    late = _begin(tenants, instance)
    MastodonAuthorization.objects.update(
        created_at=MastodonAuthorization.objects.get().created_at - timedelta(minutes=16)
    )
    with pytest.raises(ValidationError) as raised:
        complete_authorization(tenants.users["manager"], state=late, code="c")
    assert "expired" in _message(raised.value)
    assert len(instance.requests_to("POST", "/oauth/token")) == 1


@pytest.mark.django_db
def test_a_refused_code_says_to_start_again(tenants, instance) -> None:
    serve(instance, "app", "POST", "/api/v1/apps")
    serve(instance, "token_refused", "POST", "/oauth/token", status=400)
    state = _begin(tenants, instance)
    with pytest.raises(ValidationError) as raised:
        complete_authorization(tenants.users["manager"], state=state, code="stale")
    assert "refused the authorization code" in _message(raised.value)


@pytest.mark.django_db
def test_only_account_managers_may_connect(tenants, instance) -> None:
    with pytest.raises(Forbidden):
        begin_authorization(
            tenants.users["editor"],
            tenants.workspace,
            instance_url=instance.url,
            redirect_uri=REDIRECT_URI,
        )
    assert not instance.received


@pytest.mark.django_db
def test_the_unreachable_message_does_not_show_the_connection_error(tenants) -> None:
    url = f"http://127.0.0.1:{_closed_port()}"
    with pytest.raises(ValidationError) as raised:
        begin_authorization(
            tenants.users["manager"], tenants.workspace, instance_url=url, redirect_uri=REDIRECT_URI
        )
    message = _message(raised.value)
    for leaked in ("Connection", "Errno", "HTTPConnectionPool", "Max retries"):
        assert leaked not in message


@pytest.mark.django_db
@pytest.mark.parametrize(
    "instance_url", ["http://127.0.0.1:3000", "https://10.0.0.8", "https://169.254.169.254"]
)
def test_private_instance_addresses_are_refused_unless_allowed(
    tenants, settings, instance_url
) -> None:
    settings.CHORUS_CONNECT_PRIVATE = False
    with pytest.raises(ValidationError) as raised:
        begin_authorization(
            tenants.users["manager"],
            tenants.workspace,
            instance_url=instance_url,
            redirect_uri=REDIRECT_URI,
        )
    assert "private network" in _message(raised.value)
    assert "CHORUS_CONNECT_PRIVATE" in _message(raised.value)
    assert not MastodonApp.objects.exists()


@pytest.mark.django_db
def test_the_callback_refuses_an_instance_that_turned_private(tenants, instance, settings) -> None:
    _oauth(instance)
    state = _begin(tenants, instance)
    settings.CHORUS_CONNECT_PRIVATE = False
    with pytest.raises(ValidationError, match="private network"):
        complete_authorization(tenants.users["manager"], state=state, code="the-code")
    assert not instance.requests_to("POST", "/oauth/token")


@pytest.mark.django_db
@pytest.mark.parametrize("failing", ["verify_credentials", "instance"])
def test_a_token_is_revoked_when_connecting_then_fails(tenants, instance, failing) -> None:
    serve(instance, "app", "POST", "/api/v1/apps")
    serve(instance, "token", "POST", "/oauth/token")
    serve(instance, "revoke", "POST", "/oauth/revoke")
    if failing == "verify_credentials":
        serve(
            instance,
            "unavailable",
            "GET",
            "/api/v1/accounts/verify_credentials",
            status=503,
        )
    if failing == "instance":
        # The instance answers when connecting begins (its recorded reply), and no
        # longer when the user comes back.
        for path in ("/api/v2/instance", "/api/v1/instance"):
            instance.add(
                "GET", path, status=404, body="Gone", headers={"content-type": "text/plain"}
            )
    state = _begin(tenants, instance)
    with pytest.raises(ValidationError) as raised:
        complete_authorization(tenants.users["manager"], state=state, code="the-code")
    revoked = instance.requests_to("POST", "/oauth/revoke")
    assert len(revoked) == 1
    assert revoked[0].form()["token"] == ["ZA-Yj3aBD8U8Cm7lKUp-lm9O9BmDgdhHzDeqsY8tlL0"]
    assert not SocialAccount.objects.filter(handle__contains="mastodonpy_test").exists()
    expected = "did not let Chorus read" if failing == "verify_credentials" else "does not answer"
    assert expected in _message(raised.value)
    assert "returned error" not in _message(raised.value)
    assert "Service Unavailable" not in _message(raised.value)
