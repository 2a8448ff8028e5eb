"""Shared test helpers: accounts on several networks, future dates, a local file server."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from django.utils import timezone

from chorus.orgs.models import SocialAccount, Workspace
from chorus.publishing.bulk.rows import DateOrder, Encoding, Format, Upload

NEXT_YEAR = timezone.now().year + 1


def future(days: int = 10, hour: int = 9, minute: int = 0) -> datetime:
    """A naive local time safely ahead of now."""
    base = timezone.now() + timedelta(days=days)
    return datetime(base.year, base.month, base.day, hour, minute)


def accounts(workspace: Workspace) -> dict[str, SocialAccount]:
    """An X, a Bluesky and a second Mastodon account beside tenants.account (@acme)."""
    made = {}
    for network, handle in (
        ("x", "@acmecorp"),
        ("bluesky", "acme.bsky.social"),
        ("mastodon", "@news"),
    ):
        made[network] = SocialAccount.objects.create(
            workspace=workspace,
            network=network,
            remote_id=f"{network}-{handle}",
            handle=handle,
            credentials={},
        )
    return made


def upload(
    text: str | bytes,
    *,
    zone: str = "UTC",
    fmt: Format = Format.AUTO,
    account_ids: tuple[int, ...] = (),
    order: DateOrder = DateOrder.MDY,
    encoding: Encoding = Encoding.UTF8,
) -> Upload:
    content = text.encode("utf-8") if isinstance(text, str) else text
    return Upload(
        content=content,
        time_zone=zone,
        format=fmt,
        account_ids=account_ids,
        date_order=order,
        encoding=encoding,
    )


def codes(report: Any) -> list[tuple[int | None, str, str]]:
    return [(i.row, i.field, i.code) for i in report.errors]


class _Files(BaseHTTPRequestHandler):
    routes: dict[str, tuple[int, bytes, dict[str, str]]] = {}

    def do_GET(self) -> None:
        status, body, headers = self.routes.get(self.path, (404, b"missing", {}))
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@contextmanager
def file_server(routes: dict[str, tuple[int, bytes, dict[str, str]]]) -> Iterator[str]:
    """Serve `routes` (path → status, body, headers) on 127.0.0.1; yields the base URL."""
    handler = type("Files", (_Files,), {"routes": routes})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
