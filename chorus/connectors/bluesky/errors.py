"""What an atproto SDK failure means for the engine: the one place that decides it.

The SDK raises by HTTP status (UnauthorizedError for 401/403, BadRequestError for 400,
RateLimitExceededError for 429, NetworkError for transport failures and 409/413/502,
RequestException for the rest) and keeps the XRPC error name ("ExpiredToken",
"InvalidRequest", "BlobTooLarge"…) and message in the response. The line that matters for
writes is whether the request may have reached the PDS: a refused connection did not, a
read timeout may have, and then the engine must look before it retries.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import httpx
from atproto_client.exceptions import (
    BadRequestError,
    LoginRequiredError,
    RateLimitExceededError,
    RequestErrorBase,
    UnauthorizedError,
)
from atproto_client.models.common import XrpcError
from atproto_core.exceptions import AtProtocolError

from chorus.connectors.errors import (
    AuthError,
    ConnectorError,
    Permanent,
    RateLimited,
    Retryable,
    UnknownOutcome,
)
from chorus.connectors.http import NOT_SENT

# The access token ran out (or was rotated away): refreshing the session fixes it.
SESSION_ERRORS = frozenset({"ExpiredToken", "InvalidToken"})


class SessionExpired(Retryable):
    """The access token is no longer accepted; the caller refreshes and tries once more."""

    code = "session_expired"


def xrpc_error(error: BaseException) -> tuple[str, str]:
    """The XRPC error name and message of a failed request ("" when there is none)."""
    response = getattr(error, "response", None)
    content = getattr(response, "content", None)
    if isinstance(content, XrpcError):
        return content.error or "", content.message or ""
    return "", ""


def status_of(error: BaseException) -> int | None:
    response = getattr(error, "response", None)
    return getattr(response, "status_code", None)


def reason(error: BaseException) -> str:
    """The server's own words, for logs and the delivery history."""
    name, message = xrpc_error(error)
    if name or message:
        return f"{name}: {message}" if name and message else name or message
    status = status_of(error)
    if status is not None:
        return f"HTTP {status}"
    cause = error.__cause__ or error
    return f"{type(cause).__name__}: {cause}".rstrip(": ")


def translate(error: AtProtocolError, *, write: bool = False) -> ConnectorError:
    """The contract's error for an SDK failure. `write`: the request changes the repository,
    so an answer lost after sending leaves the outcome unknown."""
    if isinstance(error, LoginRequiredError):
        return AuthError(str(error))
    if not isinstance(error, RequestErrorBase):
        return Permanent(str(error) or type(error).__name__, code="invalid_request")
    status = status_of(error)
    message = reason(error)
    if error.response is None:
        return _transport(error, message, write=write)
    name, _message = xrpc_error(error)
    if name in SESSION_ERRORS:
        return SessionExpired(message, status=status)
    if isinstance(error, RateLimitExceededError):
        return RateLimited(message, reset_at=error.reset_at, status=status)
    if isinstance(error, UnauthorizedError):
        return AuthError(message, status=status)
    if isinstance(error, BadRequestError):
        return Permanent(message, status=status, code=_code(name, "invalid_request"))
    if status == 413:
        return Permanent(message, status=status, code="too_large")
    if status is not None and (status >= 500 or status in (408, 425)):
        return Retryable(message, status=status)
    return Permanent(message, status=status, code=_code(name, f"http_{status}"))


def _transport(error: RequestErrorBase, message: str, *, write: bool) -> ConnectorError:
    cause = error.__cause__
    if isinstance(cause, NOT_SENT) or not write:
        return Retryable(f"Could not reach the Bluesky server: {message}", code="connect_failed")
    return UnknownOutcome(f"No answer from the Bluesky server after sending: {message}")


def _code(name: str, default: str) -> str:
    return name[:40] if name else default


@contextmanager
def mapped(*, write: bool = False) -> Iterator[None]:
    """Run SDK calls so that their failures come out as the contract's errors."""
    try:
        yield
    except AtProtocolError as error:
        raise translate(error, write=write) from error
    except httpx.TransportError as error:
        # Some SDK paths (blob uploads, the firehose's HTTP fallbacks) let httpx's own
        # errors through unwrapped.
        if isinstance(error, NOT_SENT) or not write:
            raise Retryable(
                f"Could not reach the Bluesky server: {error}", code="connect_failed"
            ) from error
        raise UnknownOutcome(f"No answer from the Bluesky server after sending: {error}") from error
