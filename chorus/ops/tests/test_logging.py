"""Structured logs: every line carries its request id, and each request leaves one
access-log line."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from io import StringIO

import pytest
from django.conf import settings
from django.test import RequestFactory
from django.utils.module_loading import import_string

from chorus.audit.context import current_request_id
from chorus.ops.logging import RequestIdFilter
from chorus.ops.middleware import loggable_path


def formatter(name: str) -> logging.Formatter:
    """The formatter settings.LOGGING defines, built the way dictConfig builds it."""
    config = dict(settings.LOGGING["formatters"][name])
    if "()" in config:
        factory = import_string(config.pop("()"))
        return factory(**config)  # type: ignore[no-any-return]
    return logging.Formatter(config["format"])


class Captured:
    def __init__(self, stream: StringIO) -> None:
        self.stream = stream

    @property
    def records(self) -> list[dict[str, object]]:
        return [json.loads(line) for line in self.stream.getvalue().splitlines()]


@pytest.fixture
def json_logs() -> Iterator[Captured]:
    stream = StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter("json"))
    handler.addFilter(RequestIdFilter())
    loggers = [logging.getLogger(name) for name in ("chorus.access", "django.request")]
    for logger in loggers:
        logger.addHandler(handler)
    try:
        yield Captured(stream)
    finally:
        for logger in loggers:
            logger.removeHandler(handler)


def test_it_stamps_records_with_the_current_request_id():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "hello", None, None)
    token = current_request_id.set("req-123")
    try:
        assert RequestIdFilter().filter(record) is True
    finally:
        current_request_id.reset(token)
    assert record.request_id == "req-123"  # type: ignore[attr-defined]


def test_it_stamps_a_dash_outside_a_request():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "hello", None, None)
    RequestIdFilter().filter(record)
    assert record.request_id == "-"  # type: ignore[attr-defined]


def test_it_formats_json_lines_with_the_request_id():
    record = logging.LogRecord(
        "chorus.test", logging.WARNING, __file__, 1, "disk %s", ("low",), None
    )
    token = current_request_id.set("abc123")
    try:
        RequestIdFilter().filter(record)
    finally:
        current_request_id.reset(token)
    line = json.loads(formatter("json").format(record))
    assert line["request_id"] == "abc123"
    assert line["message"] == "disk low"
    assert line["level"] == "WARNING"
    assert line["logger"] == "chorus.test"
    assert "time" in line


def test_it_formats_text_lines_with_the_request_id():
    record = logging.LogRecord("chorus.test", logging.INFO, __file__, 1, "hi", None, None)
    record.request_id = "r-9"  # type: ignore[attr-defined]
    assert "[r-9] hi" in formatter("text").format(record)


def test_it_writes_one_access_line_per_request(client, db, json_logs):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="trace-42")
    access = [r for r in json_logs.records if r["logger"] == "chorus.access"]
    assert len(access) == 1
    [line] = access
    assert line["request_id"] == "trace-42" == response["X-Request-ID"]
    assert line["level"] == "INFO"
    assert line["method"] == "GET"
    assert line["path"] == "/healthz"
    assert line["status"] == response.status_code
    assert isinstance(line["duration_ms"], float)
    assert line["message"].startswith(f"GET /healthz {response.status_code} ")


def test_it_puts_the_request_id_on_other_lines_of_the_request(client, db, json_logs):
    response = client.get("/no-such-page-here/")
    assert response.status_code == 404
    request_id = response["X-Request-ID"]
    lines = json_logs.records
    assert {line["logger"] for line in lines} >= {"django.request", "chorus.access"}
    assert all(line["request_id"] == request_id for line in lines)


def test_it_makes_up_an_id_when_the_callers_is_unsafe(client, db, json_logs):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="bad id\nwith newline")
    request_id = response["X-Request-ID"]
    assert request_id != "bad id\nwith newline"
    assert len(request_id) == 32
    assert json_logs.records[-1]["request_id"] == request_id


def test_it_keeps_secret_url_parameters_out_of_the_path():
    from django.urls import ResolverMatch

    request = RequestFactory().get("/invite/s3cr3t-value/?next=/x")
    request.resolver_match = ResolverMatch(lambda r: None, (), {"token": "s3cr3t-value"})
    assert loggable_path(request) == "/invite/[redacted]/"
