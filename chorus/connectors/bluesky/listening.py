"""Listening on Bluesky: the repository event stream and post search.

The firehose (com.atproto.sync.subscribeRepos) carries every repository change on a relay
or PDS; Chorus keeps the posts created in it. Search (app.bsky.feed.searchPosts) needs an
AppView, and pages like any polling source.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

from atproto import CAR, Client, models
from atproto_core.exceptions import AtProtocolError
from atproto_firehose import FirehoseSubscribeReposClient, parse_subscribe_repos_message
from atproto_subscription.exceptions import SubscriptionError
from atproto_subscription.frames import MessageFrame
from django.utils.translation import gettext as _

from chorus.connectors.bluesky.errors import mapped
from chorus.connectors.bluesky.reading import (
    NETWORK,
    parse_datetime,
    post_from_view,
    post_url,
    with_post_record,
)
from chorus.connectors.contract import Author, Page, RemotePost
from chorus.connectors.errors import Permanent
from chorus.connectors.listening import PollingSource, StreamingSource

POST_COLLECTION = "app.bsky.feed.post"
SORTS = ("latest", "top")


class Firehose(StreamingSource):
    """Created posts from a subscribeRepos stream, resuming after the saved sequence number.

    `service_url` is the websocket XRPC base: "wss://bsky.network/xrpc" for the whole
    network through the relay, "ws://127.0.0.1:2583/xrpc" for a single (local) PDS.
    """

    network = NETWORK

    def __init__(
        self,
        service_url: str,
        key: str,
        *,
        save_every: int = 500,
        save_interval: float = 5.0,
        recv_timeout: float = 30.0,
        stop_poll: float = 0.2,
    ) -> None:
        if not service_url.startswith(("ws://", "wss://")):
            raise ValueError(
                _("The firehose address must start with ws:// or wss://, not %(url)s")
                % {"url": service_url}
            )
        if not key:
            raise ValueError(_("A firehose needs a key to save its position under."))
        self.service_url = service_url.rstrip("/")
        self.key = key
        self.save_every = save_every
        self.save_interval = save_interval
        self.recv_timeout = recv_timeout
        self.stop_poll = stop_poll

    def run(self, on_item: Callable[[RemotePost], None], stop: threading.Event) -> None:
        """Read until `stop` is set. The position is saved every `save_every` messages or
        `save_interval` seconds, and when the stream ends, so a restart replays at most
        the messages after the last save: consumers must tolerate (dedupe by remote_id)
        posts seen twice after a crash. A failing `on_item` ends the run with its error,
        the position saved just before the message it failed on."""
        saved = self.saved_cursor()
        if saved and not saved.isdigit():
            raise Permanent(
                _("The saved firehose position %(cursor)r of %(key)s is not a sequence number.")
                % {"cursor": saved, "key": self.key},
                code="bad_cursor",
            )
        progress = _Progress(saved)
        params = {"cursor": int(saved)} if saved else None
        client = _Subscription(
            stop, params=params, base_uri=self.service_url, recv_timeout=self.recv_timeout
        )
        failures: list[BaseException] = []

        def on_message(frame: MessageFrame) -> None:
            message = parse_subscribe_repos_message(frame)
            if isinstance(message, models.ComAtprotoSyncSubscribeRepos.Commit):
                for item in posts_created(message):
                    on_item(item)
            seq = getattr(message, "seq", None)
            if isinstance(seq, int):
                # A reconnect inside the SDK resumes from its params: keep them current,
                # or it would replay everything since the run started.
                client.update_params({"cursor": seq})
                progress.advance(str(seq))
                if progress.due(self.save_every, self.save_interval):
                    self.save_cursor(progress.position)
                    progress.saved()

        def on_failure(error: BaseException) -> None:
            failures.append(error)
            client.stop()

        finished = threading.Event()
        watcher = threading.Thread(
            target=_stop_when, args=(stop, finished, client, self.stop_poll), daemon=True
        )
        watcher.start()
        try:
            if not stop.is_set():
                client.start(on_message, on_failure)
        except SubscriptionError as error:
            raise _refused(self.service_url, error) from error
        finally:
            finished.set()
            watcher.join()
            if progress.unsaved:
                self.save_cursor(progress.position)
        if failures:
            raise failures[0]


class _Subscription(FirehoseSubscribeReposClient):
    """The SDK's client, with its wait before reconnecting cut short by `stop`: the SDK
    sleeps up to a minute between attempts, and a stopping worker should not wait that."""

    def __init__(self, stop: threading.Event, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._stop_requested = stop

    def _get_reconnection_delay(self) -> float:
        self._stop_requested.wait(super()._get_reconnection_delay())
        return 0.0


def _refused(url: str, error: SubscriptionError) -> Permanent:
    detail = error.args[0] if error.args else None
    name = getattr(detail, "error", "") or ""
    reason = getattr(detail, "message", "") or name or str(error) or type(error).__name__
    message = _("The Bluesky event stream at %(url)s refused to continue: %(reason)s") % {
        "url": url,
        "reason": reason,
    }
    if name == "FutureCursor":
        message += " " + _(
            "The saved position is ahead of the stream: the service was reset, or the "
            "position was saved for another service. Remove the saved position to start "
            "from now."
        )
    return Permanent(message, code=name or "stream_refused")


class _Progress:
    """The last sequence number handled, and whether it is saved yet."""

    def __init__(self, saved: str) -> None:
        self.position = saved
        self.unsaved = 0
        self.saved_at = time.monotonic()

    def advance(self, position: str) -> None:
        self.position = position
        self.unsaved += 1

    def due(self, every: int, interval: float) -> bool:
        return self.unsaved >= every or time.monotonic() - self.saved_at >= interval

    def saved(self) -> None:
        self.unsaved = 0
        self.saved_at = time.monotonic()


def _stop_when(
    stop: threading.Event,
    finished: threading.Event,
    client: FirehoseSubscribeReposClient,
    poll: float,
) -> None:
    # The SDK's stop() closes the socket, which wakes a recv() blocked on an idle stream.
    while not finished.is_set():
        if stop.wait(poll):
            client.stop()
            return


def posts_created(commit: models.ComAtprotoSyncSubscribeRepos.Commit) -> Iterator[RemotePost]:
    """The posts a commit creates, read from the blocks it carries."""
    creates = [
        op
        for op in commit.ops
        if op.action == "create" and op.cid and op.path.startswith(POST_COLLECTION + "/")
    ]
    if not creates or not isinstance(commit.blocks, bytes):
        return
    try:
        blocks = CAR.from_bytes(commit.blocks).blocks
    except AtProtocolError:
        # A commit that does not decode is one lost message, not a reason to stop.
        return
    for op in creates:
        raw = blocks.get(op.cid)
        if raw is None:
            continue
        record = _post_record(raw)
        if record is None:
            continue
        uri = f"at://{commit.repo}/{op.path}"
        # The stream names authors by DID only; resolving handles is the consumer's call.
        base = RemotePost(
            network=NETWORK,
            kind="post",
            remote_id=uri,
            author=Author(remote_id=commit.repo, handle=commit.repo),
            url=post_url(uri),
            created_at=parse_datetime(commit.time),
            raw={"uri": uri, "cid": str(op.cid), "seq": commit.seq, "rev": commit.rev},
        )
        yield with_post_record(base, record)


def _post_record(raw: Any) -> models.AppBskyFeedPost.Record | None:
    try:
        record = models.get_or_create(raw, strict=False)
    except (AtProtocolError, ValueError):
        return None
    return record if isinstance(record, models.AppBskyFeedPost.Record) else None


class PostSearch(PollingSource):
    """Posts matching `query` (the AppView's search syntax: words, "phrases",
    from:handle, #tag…), newest first with sort="latest" or by engagement with "top"."""

    network = NETWORK

    def __init__(
        self,
        client: Client,
        query: str,
        *,
        sort: str = "latest",
        lang: str = "",
        since: datetime | None = None,
        until: datetime | None = None,
        per_page: int = 50,
    ) -> None:
        if not query.strip():
            raise ValueError(_("A Bluesky search needs a query."))
        if sort not in SORTS:
            raise ValueError(
                _("Bluesky search sorts by %(sorts)s, not %(sort)s.")
                % {"sorts": " or ".join(SORTS), "sort": sort}
            )
        if not 1 <= per_page <= 100:
            raise ValueError(_("Bluesky search pages hold 1 to 100 posts."))
        for moment in (since, until):
            if moment is not None and moment.tzinfo is None:
                raise ValueError(_("Search bounds must be aware datetimes (with a time zone)."))
        self.client = client
        self.query = query.strip()
        self.sort = sort
        self.lang = lang
        self.since = since
        self.until = until
        self.per_page = per_page

    def fetch(self, cursor: str = "") -> Page:
        params = models.AppBskyFeedSearchPosts.Params(
            q=self.query,
            sort=self.sort,
            lang=self.lang or None,
            since=_iso(self.since),
            until=_iso(self.until),
            limit=self.per_page,
            cursor=cursor or None,
        )
        with mapped():
            answer = self.client.app.bsky.feed.search_posts(params)
        return Page(
            items=[post_from_view(post) for post in answer.posts], cursor=answer.cursor or ""
        )


def _iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")
