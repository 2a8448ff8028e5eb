"""A logged-in atproto client for a connected Bluesky account.

`account.credentials` holds (encrypted) the service the account signed in at, the DID,
the identifier the person typed, the app password and the exported session. A session is
resumed rather than created anew each time: createSession is rate limited per account
(30 per 5 minutes), a refresh is not. The SDK refreshes an access token that is about to
expire on its own and reports the new session through on_session_change, which saves it.
When even the refresh token is dead (expired, or revoked with its app password) the
stored app password signs in again; when that is refused too, the person must reconnect.
"""

from __future__ import annotations

import time
from typing import Any, cast

from atproto import Client, Session, SessionEvent
from atproto_client.request import Request
from atproto_core.exceptions import AtProtocolError
from atproto_server.auth.jwt import get_jwt_payload
from django.db import transaction
from django.utils.translation import gettext as _

from chorus.connectors.bluesky.errors import SessionExpired, mapped, translate
from chorus.connectors.credentials import credentials_of
from chorus.connectors.errors import AuthError, ConnectorError
from chorus.orgs.models import SocialAccount

DEFAULT_SERVICE = "https://bsky.social"
# Refresh when the access token has less than this left, so a publish that takes a while
# (a video upload) does not run into its expiry half way.
REFRESH_MARGIN_SECONDS = 20 * 60
TIMEOUT_SECONDS = 60.0


def new_client(base_url: str) -> Client:
    return Client(base_url=base_url, request=Request(timeout=TIMEOUT_SECONDS))


def client_for(account: SocialAccount, *, refresh: bool = False) -> Client:
    """A client signed in as `account`. `refresh` renews the session even when its access
    token is still fresh: the server then checks that the refresh token (and the app
    password behind it) has not been revoked, which a still-valid access token hides."""
    credentials = credentials_of(account)
    stored = credentials.get("session") or ""
    if stored:
        session = Session.decode(stored)
        client = new_client(session.pds_endpoint or _service(credentials))
        _persist_changes(client, account)
        client.login(session_string=stored, fetch_bsky_profile=False)
        if not refresh and _seconds_left(session.access_jwt) > REFRESH_MARGIN_SECONDS:
            return client
        if _seconds_left(session.refresh_jwt) > 0 and _refreshed(client, session, account):
            return client
    return _sign_in(account, credentials)


def current_session(client: Client) -> Session:
    """The client's session (raises the SDK's LoginRequiredError when it has none)."""
    return Session.decode(client.export_session_string())


def _service(credentials: dict[str, Any]) -> str:
    return str(credentials.get("service") or DEFAULT_SERVICE)


def _seconds_left(jwt: str) -> float:
    try:
        expires = get_jwt_payload(jwt).exp
    except Exception:  # an unreadable token counts as expired
        return 0.0
    return float(expires or 0) - time.time()


def _refreshed(client: Client, session: Session, account: SocialAccount) -> bool:
    """Renew the session with its refresh token; False when the server no longer takes it."""
    try:
        with mapped():
            answer = client.com.atproto.server.refresh_session(
                headers={"Authorization": f"Bearer {session.refresh_jwt}"},
                ignore_session_check=True,
            )
    except (SessionExpired, AuthError):
        return False
    except ConnectorError as error:
        if error.status == 400:
            return False
        raise
    renewed = Session(
        answer.handle, answer.did, answer.access_jwt, answer.refresh_jwt, session.pds_endpoint
    )
    # Importing the renewed session tells nobody; this is a refresh, so save it here.
    client.login(session_string=renewed.export(), fetch_bsky_profile=False)
    _save(account, renewed)
    return True


def _sign_in(account: SocialAccount, credentials: dict[str, Any]) -> Client:
    password = credentials.get("app_password") or ""
    identifier = credentials.get("did") or credentials.get("identifier") or ""
    if not password or not identifier:
        raise AuthError(_reconnect(account), code="no_credentials")
    client = new_client(_service(credentials))
    _persist_changes(client, account)
    try:
        client.login(identifier, password, fetch_bsky_profile=False)
    except AtProtocolError as error:
        failure = translate(error)
        if isinstance(failure, AuthError):
            raise AuthError(
                f"{_reconnect(account)} ({failure.message})", status=failure.status
            ) from error
        raise failure from error
    return client


def _reconnect(account: SocialAccount) -> str:
    return _(
        "Bluesky no longer accepts the app password of %(handle)s (revoked or changed): "
        "reconnect the account with a new app password."
    ) % {"handle": account.handle or account.remote_id}


def _persist_changes(client: Client, account: SocialAccount) -> None:
    def on_change(event: SessionEvent, session: Session) -> None:
        if event in (SessionEvent.CREATE, SessionEvent.REFRESH):
            _save(account, session)

    client.on_session_change(on_change)


def _issued_at(encoded: str) -> int:
    try:
        return int(get_jwt_payload(Session.decode(encoded).access_jwt).iat or 0)
    except Exception:  # a damaged stored session is older than any new one
        return 0


def _save(account: SocialAccount, session: Session) -> None:
    """Store a new session, unless another worker stored a newer one meanwhile.

    Workers publishing for the same account at once may each refresh; the row is locked
    while compared, and the session whose access token was issued last wins, so a slow
    worker cannot put back a session the server has already rotated away."""
    encoded = session.export()
    account.credentials = cast(Any, {**credentials_of(account), "session": encoded})
    if account.pk is None:
        return
    with transaction.atomic():
        row = SocialAccount.objects.select_for_update().filter(pk=account.pk).first()
        if row is None:
            return
        current = credentials_of(row)
        if _issued_at(current.get("session") or "") > _issued_at(encoded):
            return
        current["session"] = encoded
        row.credentials = cast(Any, current)
        row.save(update_fields=["credentials"])
