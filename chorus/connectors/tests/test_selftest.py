from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

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
