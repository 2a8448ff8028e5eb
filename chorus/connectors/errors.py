"""How a connector says what went wrong, so the engine knows what to do next.

The class decides the engine's move: retry later, wait for the rate limit to reset, give
up with the network's reason, ask the user to reconnect, or find out whether the post
exists before any retry.
"""

from __future__ import annotations

from datetime import datetime


class ConnectorError(Exception):
    """Base class. `code` is short and stable (shown in logs and the API); `message` is
    the network's own reason, as it gave it."""

    code = "error"

    def __init__(self, message: str, *, code: str | None = None, status: int | None = None):
        super().__init__(message)
        self.message = message
        self.status = status
        if code:
            self.code = code


class Retryable(ConnectorError):
    """The network did not take the post and says nothing against trying again later."""

    code = "temporary"

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        status: int | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message, code=code, status=status)
        self.retry_after = retry_after


class RateLimited(Retryable):
    """Out of budget until `reset_at` (from Retry-After or the network's reset header)."""

    code = "rate_limited"

    def __init__(
        self,
        message: str,
        *,
        reset_at: datetime | None = None,
        status: int | None = 429,
        code: str | None = None,
    ) -> None:
        super().__init__(message, code=code, status=status)
        self.reset_at = reset_at


class Permanent(ConnectorError):
    """The network refused this post; trying again will not change its mind."""

    code = "refused"


class AuthError(ConnectorError):
    """The account's credentials no longer work: it needs reconnecting."""

    code = "needs_reconnect"


class UnknownOutcome(ConnectorError):
    """The request may have reached the network (a timeout after sending). Before any
    retry, the engine asks the network whether the post exists."""

    code = "unknown_outcome"


class NotSupported(ConnectorError):
    """The connector cannot do this (declared by its capabilities)."""

    code = "not_supported"
