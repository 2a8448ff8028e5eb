"""Listening on Mastodon: hashtag and public timelines, polled or streamed.

Timelines page backwards with max_id (Page.cursor is the max_id of the next, older page).
The streaming API has no way to resume, so a stream saves the newest status id it has
handed over; after a restart (or a dropped connection) it first reads the timeline since
that id (at most BACKFILL_PAGES pages: after a long outage the rest of the gap is skipped
and the stream goes on live), then streams again. Instances whose streaming server is not
healthy are polled. Statuses from other servers can arrive late with smaller ids than
ones already handed over, so repeats are told apart by the ids recently handed over, not
by comparing ids.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from mastodon import Mastodon, MastodonError, StreamListener

from chorus.connectors.contract import Page, RemotePost
from chorus.connectors.credentials import credentials_of
from chorus.connectors.errors import ConnectorError
from chorus.connectors.listening import PollingSource, StreamingSource
from chorus.connectors.mastodon import convert
from chorus.connectors.mastodon.client import api, client_for
from chorus.connectors.mastodon.errors import mapped
from chorus.orgs.models import SocialAccount

logger = logging.getLogger(__name__)

PAGE_SIZE = 40
# Pages a stream reads to catch up after a restart or a dropped connection.
BACKFILL_PAGES = 10
# How many handed-over ids a stream remembers to drop repeats (backfill and stream
# overlap by a page at most).
SEEN_IDS = 2000


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

    def newer_than(
        self, client: Mastodon, since: str, *, pages: int | None = None
    ) -> Iterator[list[Mapping[str, Any]]]:
        """The statuses newer than `since`, a page at a time, oldest first (min_id pages
        forward), at most `pages` (BACKFILL_PAGES) pages."""
        pages = pages or BACKFILL_PAGES
        newest = since
        for _page in range(pages):
            page = list(self.read(client, min_id=newest))
            if not page:
                return
            page.sort(key=lambda s: convert.id_key(str(s["id"])))
            yield page
            newest = str(page[-1]["id"])
            if len(page) < self.limit:
                return
        logger.warning(
            "Mastodon %s: more than %d pages missed since %s; the rest are skipped.",
            self.instance_url,
            pages,
            since,
        )


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

    # Waits after a failure (instance down, token revoked) double up to this.
    max_retry_seconds = 600.0

    def run(self, on_item: Callable[[RemotePost], None], stop: threading.Event) -> None:
        """Hand over statuses until `stop` is set. A failure to read (the instance down,
        the account's token revoked) is logged and tried again, waiting longer each
        time; only `stop` ends the run."""
        seen = _Seen(SEEN_IDS)
        newest = self.saved_cursor()

        def hand_over(status: Mapping[str, Any]) -> None:
            nonlocal newest
            status_id = str(status["id"])
            if not seen.add(status_id):
                return  # already handed over (backfill and stream overlap)
            on_item(convert.remote_post(status, self.host, kind="post"))
            if not newest or convert.id_key(status_id) > convert.id_key(newest):
                newest = status_id
                self.save_cursor(newest)

        failures = 0
        while not stop.is_set():
            try:
                client = self.timeline.client()
                self._backfill(client, newest, hand_over, stop)
                if stop.is_set():
                    return
                if self.streaming_available(client):
                    self._stream(client, hand_over, stop)
                failures = 0
            except ConnectorError as error:
                failures += 1
                wait = min(self.retry_seconds * 2 ** (failures - 1), self.max_retry_seconds)
                logger.warning(
                    "Mastodon stream %s failed (%s); trying again in %.0f s",
                    self.key,
                    error,
                    wait,
                )
                stop.wait(wait)
                continue
            stop.wait(self.retry_seconds)

    def _backfill(
        self,
        client: Mastodon,
        newest: str,
        hand_over: Callable[[Mapping[str, Any]], None],
        stop: threading.Event,
    ) -> None:
        # The first run starts from the latest page, so there is a newest id to continue
        # from; later runs read what came since the saved one.
        pages: Iterator[list[Mapping[str, Any]]] = (
            self.timeline.newer_than(client, newest)
            if newest
            else iter(
                [sorted(self.timeline.read(client), key=lambda s: convert.id_key(str(s["id"])))]
            )
        )
        for page in pages:
            for status in page:
                if stop.is_set():
                    return
                hand_over(status)

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


class _Seen:
    """The last `size` ids added, to drop repeats in constant memory."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._ids: OrderedDict[str, None] = OrderedDict()

    def add(self, item: str) -> bool:
        """Remember `item`; False when it was already remembered."""
        if item in self._ids:
            return False
        self._ids[item] = None
        if len(self._ids) > self.size:
            self._ids.popitem(last=False)
        return True


class _Listener(StreamListener):  # type: ignore[misc]
    def __init__(self, hand_over: Callable[[Mapping[str, Any]], None]) -> None:
        super().__init__()
        self.hand_over = hand_over

    def on_update(self, status: Any) -> None:
        self.hand_over(status)
