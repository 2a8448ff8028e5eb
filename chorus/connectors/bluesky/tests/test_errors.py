"""What SDK failures become. Statuses the local network will not produce on demand (429,
503) come from a plain local HTTP server answering the way an XRPC service does."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime

import httpx
import pytest
from atproto import Client

from chorus.connectors.bluesky.errors import SessionExpired, mapped
from chorus.connectors.bluesky.tests import network
from chorus.connectors.errors import AuthError, Permanent, RateLimited, Retryable, UnknownOutcome
from chorus.publishing.bulk.tests.helpers import file_server

PATH = "/xrpc/com.atproto.repo.describeRepo?repo=did%3Aplc%3Ax"


def _answering(status: int, error: str, headers: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    body = json.dumps({"error": error, "message": f"{error} happened"}).encode()
    return file_server(
        {PATH: (status, body, {"Content-Type": "application/json", **(headers or {})})}
    )


def _describe(base_url: str, *, write: bool = False) -> None:
    with mapped(write=write):
        Client(base_url=base_url).com.atproto.repo.describe_repo({"repo": "did:plc:x"})


def test_429_is_rate_limited_until_the_reset_the_server_gives() -> None:
    reset = int(time.time()) + 300
    server = _answering(429, "RateLimitExceeded", {"ratelimit-reset": str(reset)})
    with server as base, pytest.raises(RateLimited) as raised:
        _describe(base, write=True)
    assert raised.value.reset_at == datetime.fromtimestamp(reset, UTC)
    assert "RateLimitExceeded" in raised.value.message


@pytest.mark.parametrize("status", [500, 502, 503])
def test_server_errors_are_worth_retrying(status: int) -> None:
    with _answering(status, "InternalServerError") as base, pytest.raises(Retryable) as raised:
        _describe(base, write=True)
    assert raised.value.status == status


def test_an_expired_token_asks_for_a_renewed_session() -> None:
    with _answering(400, "ExpiredToken") as base, pytest.raises(SessionExpired):
        _describe(base)


def test_authentication_required_needs_a_reconnect() -> None:
    with _answering(401, "AuthenticationRequired") as base, pytest.raises(AuthError):
        _describe(base)


def test_a_bad_request_is_refused_with_the_servers_words(atp_network) -> None:
    with pytest.raises(Permanent) as raised, mapped(write=True):
        Client(base_url=network.PDS).com.atproto.repo.describe_repo({"repo": "nobody.test"})
    assert raised.value.status == 400
    assert ":" in raised.value.message and raised.value.code != "invalid_request"


def test_transport_errors_let_through_by_the_sdk_are_mapped_too() -> None:

    with pytest.raises(Retryable), mapped(write=True):
        raise httpx.ConnectError("refused")
    with pytest.raises(UnknownOutcome), mapped(write=True):
        raise httpx.ReadTimeout("no answer")
    with pytest.raises(Retryable), mapped():
        raise httpx.ReadTimeout("no answer")
