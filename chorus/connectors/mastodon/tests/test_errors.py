from __future__ import annotations

import pytest
import requests
from mastodon import Mastodon, MastodonNetworkError

from chorus.connectors.errors import Retryable, UnknownOutcome
from chorus.connectors.mastodon.client import api
from chorus.connectors.mastodon.errors import translate


def _wrapped(cause: BaseException) -> MastodonNetworkError:
    """As Mastodon.py raises it: inside `except`, so the cause is its __context__."""
    try:
        try:
            raise cause
        except Exception as error:
            raise MastodonNetworkError(f"Could not complete request: {error}")  # noqa: B904
    except MastodonNetworkError as wrapped:
        return wrapped


@pytest.fixture
def client() -> Mastodon:
    return api("https://mastodon.example")


@pytest.mark.parametrize(
    "cause",
    [
        requests.ConnectionError(
            "HTTPSConnectionPool: Max retries exceeded (Caused by NewConnectionError("
            "'Failed to establish a new connection: [Errno 111] Connection refused'))"
        ),
        requests.ConnectTimeout("timed out while connecting"),
    ],
)
def test_nothing_sent_is_safe_to_retry_even_for_a_post(client, cause) -> None:
    error = translate(_wrapped(cause), client, sending=True)
    assert isinstance(error, Retryable) and error.code == "connect_failed"


@pytest.mark.parametrize(
    "cause",
    [
        requests.ReadTimeout("read timed out"),
        requests.ConnectionError("('Connection aborted.', RemoteDisconnected())"),
    ],
)
def test_a_lost_answer_to_a_post_is_an_unknown_outcome(client, cause) -> None:
    assert isinstance(translate(_wrapped(cause), client, sending=True), UnknownOutcome)
    reading = translate(_wrapped(cause), client, sending=False)
    assert isinstance(reading, Retryable)
