"""A real webhook receiver for tests and benchmarks: an HTTP server on 127.0.0.1 that
checks Standard Webhooks signatures, records every delivery it accepts, answers the
status URL, and can be told to misbehave (rate limits, errors, answers that never come).
"""

from __future__ import annotations

import json
import random
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

from standardwebhooks.webhooks import Webhook, WebhookVerificationError

SECRET = "whsec_" + "c2VjcmV0LWZvci1jaG9ydXMtdGVzdHM="  # base64 of a test-only key


@dataclass
class Faults:
    """Share of requests answered 429, 500, or taken and then left unanswered."""

    rate_limited: float = 0.0
    server_error: float = 0.0
    hang: float = 0.0
    hang_seconds: float = 3.0
    # Answer successes with RateLimit-Remaining: 0 and this RateLimit-Reset (seconds).
    budget_reset: int | None = None
    latency: float = 0.0
    seed: int = 7


@dataclass
class Arrival:
    webhook_id: str
    payload: dict[str, Any]
    received_at: float


@dataclass
class Receiver:
    faults: Faults = field(default_factory=Faults)
    secret: str = SECRET
    arrivals: dict[str, list[Arrival]] = field(default_factory=lambda: defaultdict(list))
    rejected: int = 0
    bad_signatures: int = 0
    truncated: int = 0

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._random = random.Random(self.faults.seed)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/hook"

    @property
    def status_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/status"

    def credentials(self, **extra: Any) -> dict[str, Any]:
        return {"url": self.url, "secret": self.secret, "status_url": self.status_url, **extra}

    def __enter__(self) -> Receiver:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def duplicates(self) -> dict[str, int]:
        with self._lock:
            return {k: len(v) for k, v in self.arrivals.items() if len(v) > 1}

    def count(self) -> int:
        with self._lock:
            return len(self.arrivals)

    def _fault(self) -> str:
        with self._lock:
            roll = self._random.random()
        f = self.faults
        if roll < f.rate_limited:
            return "429"
        if roll < f.rate_limited + f.server_error:
            return "500"
        if roll < f.rate_limited + f.server_error + f.hang:
            return "hang"
        return "ok"

    def _record(self, webhook_id: str, payload: dict[str, Any], arrived: float) -> None:
        with self._lock:
            self.arrivals[webhook_id].append(Arrival(webhook_id, payload, arrived))


def _handler(receiver: Receiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _answer(self, status: int, body: dict[str, Any] | None = None, **headers: str) -> None:
            data = json.dumps(body or {}).encode()
            self.send_response(status)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(data)))
            for name, value in headers.items():
                self.send_header(name.replace("_", "-"), value)
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            if urlparse(self.path).path == "/arrivals":
                # For a receiver in another process (benchmarks): what arrived, and when.
                with receiver._lock:
                    seen = {k: [a.received_at for a in v] for k, v in receiver.arrivals.items()}
                self._answer(200, seen)
                return
            query = parse_qs(urlparse(self.path).query)
            wanted = (query.get("webhook_id") or [""])[0]
            with receiver._lock:
                known = wanted in receiver.arrivals
            if known:
                self._answer(200, {"id": wanted})
            else:
                self._answer(404, {"error": "unknown"})

        def do_POST(self) -> None:
            arrived = time.time()
            length = int(self.headers.get("content-length", 0))
            body = self.rfile.read(length)
            if len(body) < length:
                # The sender died mid-request (a killed worker): nothing to act on.
                receiver.truncated += 1
                return
            try:
                payload = Webhook(receiver.secret).verify(body, dict(self.headers.items()))
            except WebhookVerificationError:
                receiver.bad_signatures += 1
                self._answer(401, {"error": "bad signature"})
                return
            if receiver.faults.latency:
                time.sleep(receiver.faults.latency)
            fault = receiver._fault()
            if fault == "429":
                receiver.rejected += 1
                self._answer(429, {"error": "slow down"}, retry_after="1")
                return
            if fault == "500":
                receiver.rejected += 1
                self._answer(500, {"error": "boom"})
                return
            webhook_id = self.headers["webhook-id"]
            receiver._record(webhook_id, payload, arrived)
            if fault == "hang":
                # Taken, but the answer comes after the sender stopped waiting.
                time.sleep(receiver.faults.hang_seconds)
            headers = {}
            if receiver.faults.budget_reset is not None:
                headers = {
                    "ratelimit_remaining": "0",
                    "ratelimit_reset": str(receiver.faults.budget_reset),
                }
            self._answer(
                200, {"id": webhook_id, "url": f"https://example.test/p/{webhook_id}"}, **headers
            )

    return Handler
