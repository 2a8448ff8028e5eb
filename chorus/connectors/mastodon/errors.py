"""Mastodon.py's exceptions as the contract's error classes.

Mastodon.py wraps every transport failure in MastodonNetworkError; the original requests
exception (its __context__) tells a refused connection, after which nothing can have been
posted, from a read timeout, after which the post may exist.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

import requests
from mastodon import (
    Mastodon,
    MastodonAPIError,
    MastodonError,
    MastodonNetworkError,
    MastodonNotFoundError,
    MastodonRatelimitError,
    MastodonServerError,
    MastodonUnauthorizedError,
)

from chorus.connectors.errors import (
    AuthError,
    ConnectorError,
    Permanent,
    RateLimited,
    Retryable,
    UnknownOutcome,
)

# What urllib3 says when no connection was ever made (inside requests' ConnectionError).
_NO_CONNECTION = (
    "NewConnectionError",
    "NameResolutionError",
    "Failed to establish",
    "Failed to resolve",
)


def never_sent(cause: BaseException | None) -> bool:
    """Whether the request failed before reaching the instance. A connection dropped
    after sending is also a ConnectionError in requests, so its text decides."""
    if isinstance(cause, requests.ConnectTimeout):
        return True
    if isinstance(cause, requests.ConnectionError):
        return any(marker in str(cause) for marker in _NO_CONNECTION)
    return False


def reason(error: MastodonError) -> str:
    """Mastodon's own words: the "error" of its JSON answer when there is one."""
    args = error.args
    if isinstance(error, MastodonAPIError) and len(args) >= 4 and args[3]:
        return str(args[3])
    if isinstance(error, MastodonAPIError) and len(args) >= 3:
        return f"HTTP {args[1]} {args[2]}"
    return str(args[0]) if args else error.__class__.__name__


def status_of(error: MastodonError) -> int | None:
    args = error.args
    if isinstance(error, MastodonAPIError) and len(args) >= 2 and isinstance(args[1], int):
        return args[1]
    return None


def translate(error: MastodonError, client: Mastodon, *, sending: bool) -> ConnectorError:
    """`sending`: the request creates something (a status), so a lost answer leaves its
    outcome unknown."""
    if isinstance(error, MastodonRatelimitError):
        reset = getattr(client, "ratelimit_reset", None)
        reset_at = datetime.fromtimestamp(reset, UTC) if isinstance(reset, int | float) else None
        return RateLimited("Mastodon rate limit reached.", reset_at=reset_at)
    if isinstance(error, MastodonNetworkError):
        cause = error.__context__
        if never_sent(cause):
            return Retryable(f"Could not reach the instance: {cause}", code="connect_failed")
        if sending:
            return UnknownOutcome(f"No answer from the instance after sending: {cause or error}")
        return Retryable(f"No answer from the instance: {cause or error}")
    status = status_of(error)
    message = reason(error)
    if isinstance(error, MastodonUnauthorizedError) or (status == 403 and _token_problem(message)):
        return AuthError(message, status=status)
    if isinstance(error, MastodonServerError) or (status is not None and status >= 500):
        return Retryable(message, status=status)
    if status == 429:
        return RateLimited(message)
    if isinstance(error, MastodonNotFoundError):
        return Permanent(message, status=404, code="not_found")
    if status is not None:
        return Permanent(message, status=status, code=f"http_{status}")
    return Permanent(message)


def _token_problem(message: str) -> bool:
    # 403 also means "not allowed to do this one thing" (someone else's status); only a
    # token that lost its scopes or its account means the whole account must reconnect.
    lowered = message.lower()
    return any(
        phrase in lowered
        for phrase in ("access token", "scope", "suspended", "disabled", "not approved", "login")
    )


@contextmanager
def mapped(client: Mastodon, *, sending: bool = False) -> Iterator[None]:
    try:
        yield
    except MastodonError as error:
        raise translate(error, client, sending=sending) from error
