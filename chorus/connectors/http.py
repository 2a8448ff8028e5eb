"""Turning HTTP outcomes into the contract's error classes, for connectors that use httpx.

The line that matters is whether the request may have reached the network: a refused
connection did not, so retrying is safe; a read timeout may have, so the engine must look
before it retries.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

import httpx

from chorus.connectors.errors import (
    AuthError,
    ConnectorError,
    Permanent,
    RateLimited,
    Retryable,
    UnknownOutcome,
)

# Failures before a single byte of the request left: nothing can have been published.
NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.UnsupportedProtocol)


def retry_after(response: httpx.Response, now: datetime | None = None) -> float | None:
    """Seconds to wait, from Retry-After (seconds or an HTTP date), if the server said."""
    value = response.headers.get("retry-after", "").strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def transport_error(error: httpx.HTTPError) -> ConnectorError:
    if isinstance(error, NOT_SENT):
        return Retryable(f"Could not connect: {error}", code="connect_failed")
    if isinstance(error, httpx.InvalidURL):
        return Permanent(f"Invalid URL: {error}", code="invalid_url")
    return UnknownOutcome(f"No answer after sending: {error}")


def response_error(response: httpx.Response) -> ConnectorError:
    status = response.status_code
    reason = _reason(response)
    if status == 429:
        wait = retry_after(response)
        reset = datetime.now(UTC) + timedelta(seconds=wait) if wait is not None else None
        return RateLimited(reason, reset_at=reset, status=status)
    if status in (401, 403):
        return AuthError(reason, status=status)
    if status in (408, 425) or status >= 500:
        return Retryable(reason, status=status, retry_after=retry_after(response))
    return Permanent(reason, status=status, code=f"http_{status}")


def _reason(response: httpx.Response) -> str:
    body = response.text.strip()[:500]
    prefix = f"HTTP {response.status_code} {response.reason_phrase}".strip()
    return f"{prefix}: {body}" if body else prefix


# Epoch seconds beyond this are timestamps; below, a number of seconds to wait (GitHub and
# X send epoch times in X-RateLimit-Reset, the IETF draft sends seconds in RateLimit-Reset).
_EPOCH_THRESHOLD = 1_000_000_000


def budget_reset(response: httpx.Response, now: datetime | None = None) -> datetime | None:
    """When a spent rate budget refills, if the response says it is spent."""
    now = now or datetime.now(UTC)
    for prefix in ("ratelimit", "x-ratelimit", "x-rate-limit"):
        remaining = response.headers.get(f"{prefix}-remaining", "").strip()
        reset = response.headers.get(f"{prefix}-reset", "").strip()
        if remaining != "0" or not reset:
            continue
        try:
            value = float(reset)
        except ValueError:
            return None
        if value >= _EPOCH_THRESHOLD:
            return datetime.fromtimestamp(value, UTC)
        return now + timedelta(seconds=max(0.0, value))
    return None
