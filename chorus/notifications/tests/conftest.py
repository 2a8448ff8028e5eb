"""A real receiver for Apprise's json:// service, and tasks that run at once."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest


class Inbox:
    """An HTTP server on 127.0.0.1 that keeps every JSON body posted to it. `answers`
    holds the status codes to answer with, one per request; 200 once they run out."""

    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []
        self.paths: list[str] = []
        self.answers: list[int] = []
        inbox = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length)
                inbox.paths.append(self.path)
                inbox.received.append(json.loads(body))
                status = inbox.answers.pop(0) if inbox.answers else 200
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def url(self, path: str = "hook") -> str:
        return f"json://127.0.0.1:{self.port}/{path}"

    def titles(self) -> list[str]:
        return [m["title"] for m in self.received]


@pytest.fixture
def inbox() -> Iterator[Inbox]:
    box = Inbox()
    box.thread.start()
    try:
        yield box
    finally:
        box.server.shutdown()
        box.server.server_close()


@pytest.fixture
def refused_url() -> str:
    """A json:// URL at a local port where nothing listens: connection refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"json://127.0.0.1:{port}/nobody"


@pytest.fixture
def immediate_tasks(settings: Any) -> Any:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.CHORUS_NOTIFICATION_RETRY_DELAYS = (0, 0)
    settings.CHORUS_PUBLIC_URL = "https://chorus.example.test"
    return settings
