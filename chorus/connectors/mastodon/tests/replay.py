"""A real HTTP server that answers like a Mastodon instance, from recordings.

Each route answers with recorded responses (from the Mastodon.py cassettes in data/, or
fixtures written from docs.joinmastodon.org), in order, the last one repeating. Every
request is kept - method, path, query, headers and body - for tests to assert on, and a
request no route expects gets a 599 whose body says so (and is listed in `unexpected`).
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import yaml

DATA = Path(__file__).parent / "data"
# Where the cassettes were recorded; rewritten to the replay server's own address.
RECORDED_HOSTS = ("http://localhost:3000", "ws://localhost:4000", "http://localhost:4000")
KEPT_HEADERS = (
    "content-type",
    "link",
    "x-ratelimit-limit",
    "x-ratelimit-remaining",
    "x-ratelimit-reset",
)


@dataclass
class Received:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes

    def form(self) -> dict[str, list[str]]:
        return parse_qs(self.body.decode(), keep_blank_values=True)

    def json(self) -> Any:
        return json.loads(self.body)

    def multipart_fields(self) -> dict[str, str]:
        """The text fields of a multipart/form-data body (file parts left out)."""
        boundary = self.headers["content-type"].split("boundary=")[1].encode()
        fields: dict[str, str] = {}
        for chunk in self.body.split(b"--" + boundary):
            head, _sep, value = chunk.partition(b"\r\n\r\n")
            if b'name="' not in head or b"filename=" in head:
                continue
            name = head.split(b'name="')[1].split(b'"')[0].decode()
            fields[name] = value.rstrip(b"\r\n").decode()
        return fields


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    # Keep the connection open after the body (a server-sent event stream) until the
    # server closes or this many seconds pass.
    hold_seconds: float = 0.0
    # Say nothing at all for this long (or until the server closes): a read timeout.
    stall_seconds: float = 0.0


@dataclass
class Route:
    method: str
    path: str
    query: dict[str, str]
    replies: list[Reply]

    def matches(self, method: str, path: str, query: dict[str, list[str]]) -> bool:
        return (
            method == self.method
            and path == self.path
            and all(query.get(k) == [v] for k, v in self.query.items())
        )

    def next_reply(self) -> Reply:
        return self.replies.pop(0) if len(self.replies) > 1 else self.replies[0]


def _normal(path: str) -> str:
    return path.rstrip("/") or "/"


class ReplayServer:
    def __init__(self) -> None:
        self.routes: list[Route] = []
        self.received: list[Received] = []
        self.unexpected: list[Received] = []
        self._lock = threading.Lock()
        self.closing = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def close(self) -> None:
        self.closing.set()
        self._server.shutdown()
        self._server.server_close()

    # Routes ----------------------------------------------------------------------------

    def add(
        self,
        method: str,
        path: str,
        *,
        status: int = 200,
        json_body: Any = None,
        body: bytes | str = b"",
        headers: dict[str, str] | None = None,
        query: dict[str, str] | None = None,
        hold_seconds: float = 0.0,
        stall_seconds: float = 0.0,
    ) -> None:
        """Add a reply for `method path` (after any already added for it)."""
        all_headers = dict(headers or {})
        if json_body is not None:
            body = json.dumps(json_body)
            # Our fixtures, like the recordings, name the instance http://localhost:3000.
            all_headers.setdefault("content-type", "application/json; charset=utf-8")
        if isinstance(body, str):
            body = self.localize(body).encode()
        reply = Reply(status, body, all_headers, hold_seconds, stall_seconds)
        path, query = _normal(path), query or {}
        with self._lock:
            for route in self.routes:
                if route.method == method and route.path == path and route.query == query:
                    route.replies.append(reply)
                    return
            self.routes.append(Route(method, path, query, [reply]))

    def replay(self, cassette: str, *only: str) -> None:
        """Serve the recorded responses of `cassette` (optionally only the interactions
        whose "METHOD /path" starts with one of `only`)."""
        for interaction in load_cassette(cassette):
            request, response = interaction["request"], interaction["response"]
            parts = urlsplit(request["uri"])
            label = f"{request['method']} {_normal(parts.path)}"
            if only and not any(label.startswith(prefix) for prefix in only):
                continue
            headers = {
                name.lower(): self.localize(values[0])
                for name, values in response.get("headers", {}).items()
                if name.lower() in KEPT_HEADERS
            }
            query = {k: v[0] for k, v in parse_qs(parts.query).items()}
            self.add(
                request["method"],
                parts.path,
                status=response["status"]["code"],
                body=response["body"].get("string") or "",
                headers=headers,
                query=query,
            )

    def localize(self, text: str) -> str:
        for recorded in RECORDED_HOSTS:
            text = text.replace(recorded, self.url)
        return text

    # Assertions ------------------------------------------------------------------------

    def requests_to(self, method: str, path: str) -> list[Received]:
        return [r for r in self.received if r.method == method and r.path == _normal(path)]

    def answer(self, received: Received) -> Reply:
        with self._lock:
            self.received.append(received)
            candidates = [
                r for r in self.routes if r.matches(received.method, received.path, received.query)
            ]
            if candidates:
                # The route naming the most query parameters is the most specific.
                route = max(candidates, key=lambda r: len(r.query))
                return route.next_reply()
            self.unexpected.append(received)
        message = f"replay server: no recording for {received.method} {received.path}"
        return Reply(
            599, json.dumps({"error": message}).encode(), {"content-type": "application/json"}
        )


def load_cassette(name: str) -> list[dict[str, Any]]:
    with open(DATA / "cassettes" / f"{name}.yaml", encoding="utf-8") as handle:
        return list(yaml.safe_load(handle)["interactions"])


def fixture(name: str) -> Any:
    """One of our own fixtures from data/fixtures (each names its docs page in "source")."""
    with open(DATA / "fixtures" / f"{name}.json", encoding="utf-8") as handle:
        return json.load(handle)


def _handler(server: ReplayServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            return

        def _serve(self) -> None:
            parts = urlsplit(self.path)
            length = int(self.headers.get("content-length") or 0)
            body = self.rfile.read(length) if length else b""
            received = Received(
                method=self.command,
                path=_normal(parts.path),
                query=parse_qs(parts.query, keep_blank_values=True),
                headers={k.lower(): v for k, v in self.headers.items()},
                body=body,
            )
            reply = server.answer(received)
            if reply.stall_seconds:
                server.closing.wait(reply.stall_seconds)
            self.send_response(reply.status)
            for name, value in reply.headers.items():
                self.send_header(name, value)
            if reply.hold_seconds:
                self.send_header("connection", "close")
                self.end_headers()
                self.wfile.write(reply.body)
                self.wfile.flush()
                server.closing.wait(reply.hold_seconds)
                self.close_connection = True
                return
            self.send_header("content-length", str(len(reply.body)))
            self.end_headers()
            self.wfile.write(reply.body)

        do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _serve

    return Handler
