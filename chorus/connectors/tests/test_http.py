from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest

from chorus.connectors.errors import AuthError, Permanent, RateLimited, Retryable, UnknownOutcome
from chorus.connectors.http import budget_reset, response_error, retry_after, transport_error

NOW = datetime(2027, 1, 1, tzinfo=UTC)


def _response(status: int, **headers: str) -> httpx.Response:
    return httpx.Response(status, headers={k.replace("_", "-"): v for k, v in headers.items()})


def test_retry_after_in_seconds_and_as_a_date() -> None:
    assert retry_after(_response(429, retry_after="30"), NOW) == 30
    date = "Fri, 01 Jan 2027 00:02:00 GMT"
    assert retry_after(_response(503, retry_after=date), NOW) == 120
    assert retry_after(_response(503, retry_after="soon"), NOW) is None


@pytest.mark.parametrize(
    ("status", "kind"),
    [
        (429, RateLimited),
        (401, AuthError),
        (403, AuthError),
        (500, Retryable),
        (503, Retryable),
        (408, Retryable),
        (400, Permanent),
        (410, Permanent),
        (422, Permanent),
    ],
)
def test_statuses_map_to_the_engines_moves(status: int, kind: type) -> None:
    error = response_error(_response(status))
    assert type(error) is kind
    assert error.status == status


def test_a_refused_connection_is_safe_to_retry_but_a_lost_answer_is_not() -> None:
    request = httpx.Request("POST", "http://127.0.0.1:9/hook")
    assert isinstance(transport_error(httpx.ConnectError("refused", request=request)), Retryable)
    assert isinstance(transport_error(httpx.ReadTimeout("slow", request=request)), UnknownOutcome)


def test_a_spent_budget_is_read_from_either_header_family() -> None:
    assert budget_reset(_response(200, ratelimit_remaining="0", ratelimit_reset="60"), NOW) == (
        NOW + timedelta(seconds=60)
    )
    epoch = str(int((NOW + timedelta(minutes=15)).timestamp()))
    assert budget_reset(
        _response(200, x_rate_limit_remaining="0", x_rate_limit_reset=epoch), NOW
    ) == NOW + timedelta(minutes=15)
    assert budget_reset(_response(200, ratelimit_remaining="3", ratelimit_reset="60"), NOW) is None
