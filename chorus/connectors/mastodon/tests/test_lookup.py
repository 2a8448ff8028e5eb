"""Finding a delivery's parts among the account's own statuses (the answer to an
attempt that got no answer)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from chorus.connectors.contract import Outgoing, Part
from chorus.connectors.errors import NotSupported
from chorus.connectors.mastodon import lookup
from chorus.connectors.mastodon.connector import MastodonConnector
from chorus.connectors.mastodon.tests.conftest import serve
from chorus.connectors.mastodon.tests.replay import fixture
from chorus.orgs.models import SocialAccount

OWN_STATUSES = "/api/v1/accounts/117020565966271181/statuses"
FIRST_TRIED = datetime(2026, 8, 1, 13, 59, tzinfo=UTC)


def _outgoing(*texts: str, link: str = "", first_attempt_at: Any = FIRST_TRIED) -> Outgoing:
    return Outgoing(
        delivery_id=7,
        post_id=3,
        idempotency_key="delivery-7-key",
        parts=[Part(t) for t in texts],
        link=link,
        first_attempt_at=first_attempt_at,
    )


@pytest.mark.django_db
def test_it_finds_the_first_part_with_its_appended_link(account, replay) -> None:
    serve(replay, "account_statuses", "GET", OWN_STATUSES)
    outgoing = _outgoing("First part & more", link="https://chorus.example/l/abc-long-path")
    found = MastodonConnector().find(account, outgoing, 0)
    assert found is not None and found.remote_id == "117020800000000001"
    assert found.remote_url == f"{replay.url}/@mastodonpy_test/117020800000000001"
    sent = replay.requests_to("GET", OWN_STATUSES)
    assert len(sent) == 1
    assert sent[0].query["exclude_reblogs"] == ["1"] and sent[0].query["limit"] == ["40"]


@pytest.mark.django_db
def test_a_thread_part_must_answer_the_part_before_it(account, replay) -> None:
    serve(replay, "account_statuses", "GET", OWN_STATUSES)
    # Two statuses read "Second part, with @bob"; only one answers the first part. The
    # mention is rendered without its domain.
    outgoing = _outgoing(
        "First part & more",
        "Second part, with @bob@remote.example",
        link="https://chorus.example/l/abc-long-path",
    )
    found = MastodonConnector().find(account, outgoing, 1)
    assert found is not None and found.remote_id == "117020800000000003"


@pytest.mark.django_db
def test_statuses_from_before_the_first_attempt_do_not_count(account, replay) -> None:
    serve(replay, "account_statuses", "GET", OWN_STATUSES)
    # Only the status of 2026-07-01 has this text without the link: older than the
    # delivery, so not its part.
    assert MastodonConnector().find(account, _outgoing("First part & more"), 0) is None
    older = _outgoing("First part & more", first_attempt_at=datetime(2026, 6, 30, tzinfo=UTC))
    found = MastodonConnector().find(account, older, 0)
    assert found is not None and found.remote_id == "117020700000000001"


@pytest.mark.django_db
def test_a_missing_thread_part_is_not_found(account, replay) -> None:
    serve(replay, "account_statuses", "GET", OWN_STATUSES)
    outgoing = _outgoing("Nothing like this was posted", "Second part, with @bob@remote.example")
    assert MastodonConnector().find(account, outgoing, 1) is None


@pytest.mark.django_db
def test_an_account_that_posted_too_much_since_cannot_be_searched(account, replay) -> None:
    status = fixture("account_statuses")["body"][2]
    busy = [{**status, "id": str(117020900000000000 + n)} for n in range(lookup.PAGE_SIZE)]
    replay.add("GET", OWN_STATUSES, json_body=busy)
    with pytest.raises(NotSupported, match="cannot be looked up"):
        MastodonConnector().find(account, _outgoing("First part & more"), 0)
    pages = replay.requests_to("GET", OWN_STATUSES)
    assert len(pages) == lookup.MAX_PAGES
    assert pages[1].query["max_id"] == ["117020900000000000"]


@pytest.mark.django_db
def test_an_account_without_a_remote_id_asks_who_it_is(account, replay) -> None:
    # As the self-test builds it: credentials only.
    serve(replay, "verify_credentials", "GET", "/api/v1/accounts/verify_credentials")
    serve(replay, "account_statuses", "GET", OWN_STATUSES)
    bare = SocialAccount(network="mastodon", credentials=account.credentials)
    outgoing = _outgoing("First part & more", link="https://chorus.example/l/abc-long-path")
    found = MastodonConnector().find(bare, outgoing, 0)
    assert found is not None and found.remote_id == "117020800000000001"
    assert not replay.unexpected
