"""Connecting a Bluesky account: a handle (or DID) and an app password, at bsky.social or
at the person's own PDS.

Each way it can go wrong gets its own message on the field to fix: a service URL that
does not answer, or answers but is no AT Protocol server; a handle nobody has; a password
the server refuses. The account password itself is refused too: it can do everything the
person can (delete the account, change the e-mail), so Chorus only keeps app passwords,
which the person can revoke on their own.

The app password travels to the server, so only https:// addresses are taken, except on
this machine (loopback). And the server makes these requests, so the service (and the
PDS the account's DID document names) must be on public addresses unless the installation
allows private ones (chorus.connectors.addresses).
"""

from __future__ import annotations

import contextlib
import logging
from typing import Any, cast
from urllib.parse import urlsplit

import httpx
from atproto import Client, Session
from atproto_core.exceptions import AtProtocolError
from atproto_server.auth.jwt import get_jwt_payload
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chorus.accounts.models import User
from chorus.connectors.addresses import NotPublic, check_public, is_loopback
from chorus.connectors.bluesky.errors import reason, status_of, translate, xrpc_error
from chorus.connectors.bluesky.session import DEFAULT_SERVICE, current_session, new_client
from chorus.connectors.errors import AuthError, RateLimited
from chorus.orgs import policy
from chorus.orgs.models import SocialAccount, Workspace

NETWORK = "bluesky"
PROBE_TIMEOUT = httpx.Timeout(10.0, connect=5.0)
# The scope of a session made with the account password rather than an app password.
FULL_ACCESS_SCOPE = "com.atproto.access"
log = logging.getLogger(__name__)


def connect_bluesky(
    user: User,
    workspace: Workspace,
    *,
    identifier: str,
    app_password: str,
    service_url: str = "",
    token: Any = None,
    expected_did: str = "",
) -> SocialAccount:
    """Sign in at the service and create (or, for a DID already connected here, update)
    the workspace's account for it. `expected_did`: reconnecting that account, so signing
    in as any other is refused rather than connecting it instead."""
    policy.authorize(user, "account.manage", workspace, token=token)
    identifier = (identifier or "").strip().removeprefix("@").strip()
    app_password = (app_password or "").strip()
    if not identifier:
        raise ValidationError({"identifier": _("Enter the account's handle or DID.")})
    if not app_password:
        raise ValidationError({"app_password": _("Enter an app password for the account.")})
    service = _check_service(service_url)
    if not identifier.startswith("did:"):
        _resolve_handle(service, identifier)
    client = _sign_in(service, identifier, app_password)
    session = current_session(client)
    if expected_did and session.did != expected_did:
        _sign_out(client, session.refresh_jwt)
        raise ValidationError({"identifier": _other_account(workspace, expected_did, session)})
    if session.pds_endpoint and session.pds_endpoint.rstrip("/") != service:
        # Later requests go to the PDS the DID document names, not to the service typed.
        try:
            _check_address(session.pds_endpoint.rstrip("/"))
        except ValidationError:
            _sign_out(client, session.refresh_jwt)
            raise
    profile = _profile(client, session.did)
    credentials = {
        "service": service,
        "identifier": identifier,
        "did": session.did,
        "app_password": app_password,
        "session": client.export_session_string(),
    }
    with transaction.atomic():
        account, _created = SocialAccount.objects.update_or_create(
            workspace=workspace,
            network=NETWORK,
            remote_id=session.did,
            defaults={
                "handle": session.handle,
                "display_name": profile.get("display_name", ""),
                "avatar_url": profile.get("avatar_url", ""),
                "status": SocialAccount.Status.ACTIVE,
                "last_error": "",
                "last_success_at": timezone.now(),
                "credentials": cast(Any, credentials),
            },
        )
    return account


def _other_account(workspace: Workspace, expected_did: str, session: Session) -> str:
    """The refusal when the password signs in as another account than the one being
    reconnected: connecting that one instead would surprise whoever reconnects."""
    existing = (
        SocialAccount.objects.filter(workspace=workspace, network=NETWORK, remote_id=expected_did)
        .values_list("handle", flat=True)
        .first()
    )
    return _(
        "This signs in as another account (@%(other)s); sign in as @%(handle)s to reconnect "
        "it, or connect the other account separately."
    ) % {
        "other": session.handle or session.did,
        "handle": (existing or expected_did).removeprefix("@"),
    }


def _check_address(service: str) -> None:
    """Refuse a server the app password must not be sent to."""
    if urlsplit(service).scheme != "https" and not is_loopback(service):
        raise ValidationError(
            {
                "service_url": _(
                    "%(url)s is not an https:// address: the app password would travel "
                    "unencrypted. Enter the server's https:// address."
                )
                % {"url": service}
            }
        )
    try:
        check_public(service)
    except NotPublic as error:
        raise ValidationError({"service_url": error.message}) from None


def _unreachable(service: str, error: Exception) -> ValidationError:
    # The exception's own text can name internal hosts and addresses; it goes to the log.
    log.info("Bluesky service %s unreachable: %r", service, error)
    reason = (
        _("it did not answer in time")
        if isinstance(error, httpx.TimeoutException)
        or isinstance(error.__cause__, httpx.TimeoutException)
        else _("no connection could be made")
    )
    return ValidationError(
        {
            "service_url": _(
                "Chorus could not reach %(url)s (%(reason)s). Check the address, or leave "
                "it blank for bsky.social."
            )
            % {"url": service, "reason": reason}
        }
    )


def _check_service(service_url: str) -> str:
    service = (service_url or "").strip().rstrip("/") or DEFAULT_SERVICE
    parts = urlsplit(service)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationError(
            {"service_url": _("Enter the server's address as an https:// URL, or leave it blank.")}
        )
    if parts.username or parts.password or parts.query or parts.fragment:
        raise ValidationError(
            {"service_url": _("Enter only the server's address, like https://bsky.social.")}
        )
    _check_address(service)
    try:
        # No redirects: one could lead to an address the check above would refuse.
        with httpx.Client(timeout=PROBE_TIMEOUT, follow_redirects=False) as http:
            answer = http.get(f"{service}/xrpc/com.atproto.server.describeServer")
    except httpx.HTTPError as error:
        raise _unreachable(service, error) from error
    if not _describes_a_server(answer):
        raise ValidationError(
            {
                "service_url": _(
                    "%(url)s answers, but not as an AT Protocol server (a Bluesky PDS). Enter "
                    "the address of the server that hosts the account."
                )
                % {"url": service}
            }
        )
    return service


def _describes_a_server(answer: httpx.Response) -> bool:
    if answer.status_code != 200:
        return False
    try:
        body = answer.json()
    except ValueError:
        return False
    return isinstance(body, dict) and str(body.get("did", "")).startswith("did:")


def _resolve_handle(service: str, handle: str) -> None:
    try:
        with httpx.Client(timeout=PROBE_TIMEOUT) as http:
            answer = http.get(
                f"{service}/xrpc/com.atproto.identity.resolveHandle", params={"handle": handle}
            )
    except httpx.HTTPError as error:
        raise _unreachable(service, error) from error
    if answer.status_code == 400:
        raise ValidationError(
            {
                "identifier": _(
                    "No Bluesky account has the handle @%(handle)s. Check the spelling (a "
                    "handle looks like name.bsky.social)."
                )
                % {"handle": handle}
            }
        )


def _sign_in(service: str, identifier: str, app_password: str) -> Client:
    client = new_client(service)
    try:
        client.login(identifier, app_password, fetch_bsky_profile=False)
    except AtProtocolError as error:
        failure = translate(error)
        if isinstance(failure, AuthError):
            message = _(
                "%(service)s refused this app password for %(who)s. Create an app password in "
                "Bluesky under Settings → Privacy and security → App passwords, and paste it "
                "here (or check that the account is hosted at this server)."
            ) % {"service": service, "who": identifier}
            raise ValidationError({"app_password": message}) from error
        if isinstance(failure, RateLimited):
            message = _(
                "%(service)s has had too many sign-in attempts for this account; try again "
                "in a few minutes."
            ) % {"service": service}
            raise ValidationError({"identifier": message}) from error
        if status_of(error) is None:
            raise _unreachable(service, error) from error
        name, _text = xrpc_error(error)
        field = "identifier" if name else "service_url"
        message = _("%(service)s could not sign in: %(reason)s") % {
            "service": service,
            "reason": reason(error),
        }
        raise ValidationError({field: message}) from error
    session = current_session(client)
    if get_jwt_payload(session.access_jwt).scope == FULL_ACCESS_SCOPE:
        _sign_out(client, session.refresh_jwt)
        raise ValidationError(
            {
                "app_password": _(
                    "This is the account's own password. Chorus only keeps app passwords, "
                    "which you can revoke on their own: create one in Bluesky under Settings → "
                    "Privacy and security → App passwords, and paste it here."
                )
            }
        )
    return client


def _sign_out(client: Client, refresh_jwt: str) -> None:
    """Give up a session Chorus will not keep, so it is not left valid on the server."""
    # The refusal stands either way; an unused session left behind expires on its own.
    with contextlib.suppress(AtProtocolError):
        client.com.atproto.server.delete_session(
            headers={"Authorization": f"Bearer {refresh_jwt}"}, ignore_session_check=True
        )


def _profile(client: Client, did: str) -> dict[str, str]:
    """Display name and avatar, when an AppView answers for the service (a bare PDS may
    not serve app.bsky)."""
    try:
        profile = client.app.bsky.actor.get_profile({"actor": did})
    except AtProtocolError:
        return {}
    return {
        "display_name": (profile.display_name or "")[:255],
        "avatar_url": (profile.avatar or "")[:1000],
    }
