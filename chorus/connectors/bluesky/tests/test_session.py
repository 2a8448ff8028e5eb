from __future__ import annotations

import base64
import json
import time

import httpx
import pytest
from atproto import Session

from chorus.connectors.bluesky.connector import BlueskyConnector
from chorus.connectors.bluesky.session import _save, client_for
from chorus.connectors.bluesky.tests import network
from chorus.connectors.errors import AuthError
from chorus.orgs.models import SocialAccount


def _token(**claims: object) -> str:
    """An unsigned JWT with these claims: only its payload is read on Chorus' side."""

    def part(value: dict[str, object]) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()

    return f"{part({'alg': 'ES256K', 'typ': 'at+jwt'})}.{part(claims)}.c2ln"


def _stored(account: SocialAccount) -> Session:
    return Session.decode(SocialAccount.objects.get(pk=account.pk).credentials["session"])


def _store(account: SocialAccount, session: Session) -> None:
    credentials = {**account.credentials, "session": session.export()}
    SocialAccount.objects.filter(pk=account.pk).update(credentials=credentials)
    account.refresh_from_db()


def _expire_access(account: SocialAccount) -> Session:
    """Make the stored access token one that ran out an hour ago."""
    session = _stored(account)
    session.access_jwt = _token(scope="com.atproto.appPass", exp=int(time.time()) - 3600)
    _store(account, session)
    return session


@pytest.mark.django_db
def test_a_fresh_stored_session_is_resumed_as_it_is(bsky_connected) -> None:
    before = bsky_connected.credentials["session"]
    client = client_for(bsky_connected)
    assert client.com.atproto.server.get_session().did == bsky_connected.remote_id
    assert _stored(bsky_connected).export() == before


@pytest.mark.django_db
def test_an_expiring_session_is_refreshed_and_the_new_one_saved(bsky_connected) -> None:
    old = _expire_access(bsky_connected)
    client = client_for(bsky_connected)
    assert client.com.atproto.server.get_session().did == bsky_connected.remote_id
    saved = _stored(bsky_connected)
    assert saved.access_jwt != old.access_jwt
    assert saved.refresh_jwt != old.refresh_jwt  # rotated by the refresh


@pytest.mark.django_db
def test_a_dead_refresh_token_signs_in_again_with_the_app_password(bsky_connected) -> None:
    old = _expire_access(bsky_connected)
    with httpx.Client(base_url=network.PDS) as http:
        http.post(
            "/xrpc/com.atproto.server.deleteSession",
            headers={"authorization": f"Bearer {old.refresh_jwt}"},
        ).raise_for_status()
    client = client_for(bsky_connected)
    assert client.com.atproto.server.get_session().did == bsky_connected.remote_id
    assert _stored(bsky_connected).refresh_jwt != old.refresh_jwt


@pytest.mark.django_db
def test_a_revoked_app_password_asks_for_a_reconnect(bsky_connected, bsky_account) -> None:
    network.revoke_app_password(bsky_account)
    with pytest.raises(AuthError) as raised:
        client_for(bsky_connected, refresh=True)
    assert "reconnect" in raised.value.message
    with pytest.raises(AuthError):
        BlueskyConnector().check(bsky_connected)


@pytest.mark.django_db
def test_check_accepts_working_credentials(bsky_connected) -> None:
    BlueskyConnector().check(bsky_connected)


@pytest.mark.django_db
def test_an_older_session_does_not_replace_a_newer_one(bsky_connected) -> None:
    current = _stored(bsky_connected)
    stale = Session(
        current.handle,
        current.did,
        _token(scope="com.atproto.appPass", iat=1, exp=2),
        "stale-refresh",
        current.pds_endpoint,
    )
    _save(bsky_connected, stale)
    assert _stored(bsky_connected).export() == current.export()


@pytest.mark.django_db
def test_an_account_without_credentials_needs_reconnecting(tenants) -> None:
    account = SocialAccount.objects.create(
        workspace=tenants.workspace, network="bluesky", remote_id="did:plc:x", handle="x.test"
    )
    with pytest.raises(AuthError):
        client_for(account)


@pytest.mark.django_db
def test_disconnect_ends_the_session_on_the_server(bsky_connected) -> None:
    stored = _stored(bsky_connected)
    BlueskyConnector().disconnect(bsky_connected)
    with httpx.Client(base_url=network.PDS) as http:
        answer = http.post(
            "/xrpc/com.atproto.server.refreshSession",
            headers={"authorization": f"Bearer {stored.refresh_jwt}"},
        )
    assert answer.status_code == 400
    assert answer.json()["error"] == "ExpiredToken"
