"""Listening on Mastodon: hashtag and public timelines, polled or streamed.

Timelines page backwards with max_id (Page.cursor is the max_id of the next, older page).
The streaming API has no way to resume, so a stream saves the newest status id it has
handed over; after a restart (or a dropped connection) it first reads the timeline since
that id, then streams again. Instances whose streaming server is not healthy are polled.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Mapping
from typing import Any

from mastodon import Mastodon, MastodonError, StreamListener

from chorus.connectors.contract import Page, RemotePost
from chorus.connectors.listening import PollingSource, StreamingSource
from chorus.connectors.mastodon import convert
from chorus.connectors.mastodon.client import api, client_for, credentials_of
from chorus.connectors.mastodon.errors import mapped
from chorus.orgs.models import SocialAccount

PAGE_SIZE = 40


class Timeline(PollingSource):
    """A public timeline: the whole known network, or one hashtag when `tag` is set.
    Read through a connected account, or anonymously from `instance_url` where the
    instance allows it."""

    network = "mastodon"

    def __init__(
        self,
        *,
        account: SocialAccount | None = None,
        instance_url: str = "",
        tag: str = "",
        local: bool = False,
        remote: bool = False,
        only_media: bool = False,
        limit: int = PAGE_SIZE,
    ) -> None:
        if account is None and not instance_url:
            raise ValueError("A Mastodon timeline needs an account or an instance URL.")
        if local and remote:
            raise ValueError("A timeline is local or remote, not both.")
        self.account = account
        self.instance_url = (
            str(credentials_of(account).get("instance_url") or "") if account else instance_url
        )
        self.tag = tag.lstrip("#").strip()
        self.local = local
        self.remote = remote
        self.only_media = only_media
        self.limit = limit

    def client(self) -> Mastodon:
        return client_for(self.account) if self.account else api(self.instance_url)

    def read(self, client: Mastodon, **paging: Any) -> Any:
        flags: dict[str, Any] = {
            "local": self.local,
            "remote": self.remote,
            "only_media": self.only_media,
            "limit": self.limit,
        }
        with mapped(client):
            if self.tag:
                return client.timeline_hashtag(self.tag, **flags, **paging)
            return client.timeline_public(**flags, **paging)

    def fetch(self, cursor: str = "") -> Page:
        client = self.client()
        page = self.read(client, max_id=cursor or None)
        host = convert.host_of(self.instance_url)
        items = [convert.remote_post(s, host, kind="post") for s in page]
        return Page(items=items, cursor=convert.next_max_id(page) if items else "")

    def newer_than(self, client: Mastodon, since: str) -> list[Mapping[str, Any]]:
        """Every status newer than `since`, oldest first (min_id pages forward)."""
        found: list[Mapping[str, Any]] = []
        newest = since
        while True:
            page = list(self.read(client, min_id=newest))
            if not page:
                return found
            page.sort(key=lambda s: convert.id_key(str(s["id"])))
            found.extend(page)
            newest = str(page[-1]["id"])
            if len(page) < self.limit:
                return found


class HashtagTimeline(Timeline):
    """GET /api/v1/timelines/tag/:hashtag."""

    def __init__(self, tag: str, **kwargs: Any) -> None:
        if not tag.lstrip("#").strip():
            raise ValueError("A hashtag timeline needs a hashtag.")
        super().__init__(tag=tag, **kwargs)


class PublicTimeline(Timeline):
    """GET /api/v1/timelines/public."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(tag="", **kwargs)


class TimelineStream(StreamingSource):
    """A hashtag or the public timeline as it happens (GET /api/v1/streaming/...)."""

    network = "mastodon"
    # How long to wait before reconnecting a dropped stream, or between polls when the
    # instance has no working streaming server.
    retry_seconds = 10.0

    def __init__(self, timeline: Timeline, *, key: str = "") -> None:
        self.timeline = timeline
        scope = f"tag:{timeline.tag}" if timeline.tag else "public"
        flags = "".join(
            f":{name}"
            for name, on in (
                ("local", timeline.local),
                ("remote", timeline.remote),
                ("media", timeline.only_media),
            )
            if on
        )
        host = convert.host_of(timeline.instance_url)
        self.key = key or f"mastodon:{host}:{scope}{flags}"
        self.host = host

    def run(self, on_item: Callable[[RemotePost], None], stop: threading.Event) -> None:
        client = self.timeline.client()
        newest = self.saved_cursor()

        def hand_over(status: Mapping[str, Any]) -> None:
            nonlocal newest
            status_id = str(status["id"])
            if newest and convert.id_key(status_id) <= convert.id_key(newest):
                return  # already handed over (backfill and stream overlap)
            on_item(convert.remote_post(status, self.host, kind="post"))
            newest = status_id
            self.save_cursor(newest)

        while not stop.is_set():
            # The first run starts from the latest page, so there is a newest id to
            # continue from; later runs read everything since the saved one.
            backlog = (
                self.timeline.newer_than(client, newest)
                if newest
                else sorted(
                    self.timeline.read(client),
                    key=lambda s: convert.id_key(str(s["id"])),
                )
            )
            for status in backlog:
                if stop.is_set():
                    return
                hand_over(status)
            if not self.streaming_available(client):
                stop.wait(self.retry_seconds)
                continue
            self._stream(client, hand_over, stop)
            stop.wait(self.retry_seconds)

    def streaming_available(self, client: Mastodon) -> bool:
        """GET /api/v1/streaming/health on the instance's streaming server."""
        try:
            return bool(client.stream_healthy())
        except MastodonError:
            return False

    def _stream(
        self,
        client: Mastodon,
        hand_over: Callable[[Mapping[str, Any]], None],
        stop: threading.Event,
    ) -> None:
        # Statuses arrive on Mastodon.py's reader thread; they are handed over (and the
        # cursor saved) on this one, which owns the database connection.
        arrived: queue.Queue[Mapping[str, Any]] = queue.Queue()
        listener = _Listener(arrived.put)
        timeline = self.timeline
        try:
            if timeline.tag:
                handle = client.stream_hashtag(
                    timeline.tag, listener, local=timeline.local, run_async=True
                )
            else:
                handle = client.stream_public(
                    listener,
                    local=timeline.local,
                    remote=timeline.remote,
                    only_media=timeline.only_media,
                    run_async=True,
                )
        except MastodonError:
            return
        try:
            # Reconnecting is left to run(): it reads the timeline first, so nothing
            # posted while the connection was down is missed.
            while not stop.is_set():
                try:
                    hand_over(arrived.get(timeout=0.2))
                except queue.Empty:
                    if not handle.is_alive():
                        return
        finally:
            handle.close()


class _Listener(StreamListener):  # type: ignore[misc]
    def __init__(self, hand_over: Callable[[Mapping[str, Any]], None]) -> None:
        super().__init__()
        self.hand_over = hand_over

    def on_update(self, status: Any) -> None:
        self.hand_over(status)
