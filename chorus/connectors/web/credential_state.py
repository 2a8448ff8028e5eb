"""What the accounts page can say about an account's stored credentials without showing any
of them: whether a Bluesky session is kept and when it was last renewed, and which access a
Mastodon server granted."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from atproto import Session
from atproto_server.auth.jwt import get_jwt_payload

from chorus.connectors.credentials import credentials_of
from chorus.connectors.mastodon.models import MastodonApp
from chorus.orgs.models import SocialAccount


@dataclass(frozen=True)
class BlueskySession:
    stored: bool
    # When the server issued the stored access token: the session was created or last
    # refreshed then. None when the stored session cannot be read.
    renewed_at: datetime | None


def bluesky_session(account: SocialAccount) -> BlueskySession | None:
    """The session chorus.connectors.bluesky.session keeps; None for other networks and for
    accounts that hold no credentials (disconnected)."""
    credentials = credentials_of(account)
    if account.network != "bluesky" or not credentials:
        return None
    encoded = credentials.get("session") or ""
    if not encoded:
        return BlueskySession(stored=False, renewed_at=None)
    try:
        issued = get_jwt_payload(Session.decode(encoded).access_jwt).iat
    except Exception:  # a damaged session is replaced at the next sign-in; say only "stored"
        issued = None
    renewed_at = datetime.fromtimestamp(issued, tz=UTC) if issued else None
    return BlueskySession(stored=True, renewed_at=renewed_at)


def mastodon_scopes(accounts: Iterable[SocialAccount]) -> dict[int, tuple[str, ...]]:
    """Access granted to each connected Mastodon account, by account id.

    The scopes the token was granted when the connector stored them, else those of the
    OAuth app the account was authorized through: Mastodon.py refuses a token that lacks
    any scope asked for, so the app's scopes were all granted."""
    found: dict[int, tuple[str, ...]] = {}
    by_app: dict[int, list[int]] = {}
    for account in accounts:
        credentials = credentials_of(account)
        if account.network != "mastodon" or not credentials:
            continue
        scopes = credentials.get("scopes")
        if isinstance(scopes, str):
            scopes = scopes.split()
        if isinstance(scopes, list) and scopes:
            found[account.pk] = tuple(str(scope) for scope in scopes)
        elif isinstance(credentials.get("app_id"), int):
            by_app.setdefault(credentials["app_id"], []).append(account.pk)
    if by_app:
        for app_id, scopes_text in MastodonApp.objects.filter(pk__in=by_app).values_list(
            "pk", "scopes"
        ):
            for account_id in by_app[app_id]:
                found[account_id] = tuple(scopes_text.split())
    return found
