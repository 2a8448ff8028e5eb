from __future__ import annotations

import json
from io import StringIO

import httpx
import pytest
from django.core.management import CommandError, call_command

from chorus.connectors.bluesky.tests import network
from chorus.connectors.mastodon.tests.conftest import serve
from chorus.connectors.mastodon.tests.replay import ReplayServer, load_cassette
from chorus.connectors.webhook.tests.receiver import Receiver


def test_it_lists_the_connectors() -> None:
    out = StringIO()
    call_command("connectors", "list", stdout=out)
    assert "webhook:" in out.getvalue() and "lookup" in out.getvalue()


def test_the_webhook_selftest_publishes_and_finds_its_post(monkeypatch) -> None:
    with Receiver() as receiver:
        monkeypatch.setenv("CHORUS_SELFTEST_WEBHOOK", json.dumps(receiver.credentials()))
        out = StringIO()
        call_command("connectors", "selftest", "webhook", "--text", "ping ສະບາຍດີ", stdout=out)
    assert "lookup: found" in out.getvalue()
    (arrival,) = [a[0] for a in receiver.arrivals.values()]
    assert arrival.payload["text"] == "ping ສະບາຍດີ"


def test_it_says_what_is_missing(monkeypatch) -> None:
    monkeypatch.delenv("CHORUS_SELFTEST_WEBHOOK", raising=False)
    with pytest.raises(CommandError, match="CHORUS_SELFTEST_WEBHOOK"):
        call_command("connectors", "selftest", "webhook")
    with pytest.raises(CommandError, match="No connector"):
        call_command("connectors", "selftest", "myspace")
    monkeypatch.setenv(
        "CHORUS_SELFTEST_WEBHOOK",
        json.dumps({"url": "http://127.0.0.1:9/x", "secret": "whsec_c2VjcmV0"}),
    )
    with pytest.raises(CommandError, match="Retryable"):
        call_command("connectors", "selftest", "webhook")


def test_the_bluesky_selftest_posts_reads_back_and_deletes_on_the_real_network(
    monkeypatch,
) -> None:
    person = network.create_account("selftest")
    credentials = {
        "service": network.PDS,
        "identifier": person.handle,
        "app_password": person.app_password,
    }
    monkeypatch.setenv("CHORUS_SELFTEST_BLUESKY", json.dumps(credentials))
    out = StringIO()
    call_command("connectors", "selftest", "bluesky", "--text", "self-test ສະບາຍດີ", stdout=out)
    said = out.getvalue()
    for line in ("credentials: accepted", "lookup: found", "read back: same text", "deleted: yes"):
        assert line in said
    assert f"https://bsky.app/profile/{person.handle}/post/" in said
    left = httpx.get(
        f"{network.PDS}/xrpc/com.atproto.repo.listRecords",
        params={"repo": person.did, "collection": "app.bsky.feed.post"},
    ).json()
    assert left["records"] == []


def test_the_mastodon_selftest_runs_every_step_against_recorded_answers(monkeypatch) -> None:
    server = ReplayServer()
    try:
        serve(server, "verify_credentials", "GET", "/api/v1/accounts/verify_credentials")
        server.replay("test_status")
        serve(server, "context", "GET", "/api/v1/statuses/117020583223442465/context")
        # The lookup step reads the account's own recent statuses.
        posted = json.loads(load_cassette("test_status")[0]["response"]["body"]["string"])
        server.add(
            "GET",
            "/api/v1/accounts/117020565966271181/statuses",
            body=json.dumps([posted]),
            headers={"content-type": "application/json"},
        )
        credentials = {"instance_url": server.url, "access_token": "token"}
        monkeypatch.setenv("CHORUS_SELFTEST_MASTODON", json.dumps(credentials))
        out = StringIO()
        call_command("connectors", "selftest", "mastodon", "--text", "Toot!", stdout=out)
        said = out.getvalue()
        assert server.unexpected == []
    finally:
        server.close()
    for line in (
        "credentials: accepted",
        "lookup: found",
        "read back: same text",
        "metrics: ",
        "deleted: yes",
    ):
        assert line in said
    (sent,) = server.requests_to("POST", "/api/v1/statuses")
    assert sent.headers["idempotency-key"].endswith("-0")
