"""Listening on the real local network: the PDS's event stream and the AppView's search."""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from atproto import Client, models
from django.db import connection

from chorus.connectors.bluesky.listening import Firehose, PostSearch
from chorus.connectors.bluesky.tests import network
from chorus.connectors.contract import RemotePost
from chorus.connectors.errors import Permanent
from chorus.connectors.models import StreamCursor

STREAM = network.PDS.replace("http://", "ws://") + "/xrpc"


class Listener:
    """A firehose run in a thread, as the listening worker runs it, keeping what it hears
    from one author (the local PDS also carries other tests' accounts)."""

    def __init__(self, source: Firehose, did: str, on_item: Callable[[RemotePost], None]):
        self.source = source
        self.did = did
        self.on_item = on_item
        self.heard: list[RemotePost] = []
        self.failure: BaseException | None = None
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        try:
            self.source.run(self._keep, self.stop)
        except BaseException as error:  # handed to the test to assert on
            self.failure = error
        finally:
            connection.close()

    def _keep(self, item: RemotePost) -> None:
        if item.author.remote_id == self.did:
            self.on_item(item)
            self.heard.append(item)

    def texts(self) -> list[str]:
        return [item.text for item in self.heard]

    def start(self) -> Listener:
        self.thread.start()
        return self

    def finish(self) -> None:
        self.stop.set()
        self.thread.join(timeout=30)
        assert not self.thread.is_alive()


def listen(
    source: Firehose, did: str, on_item: Callable[[RemotePost], None] = lambda item: None
) -> Listener:
    return Listener(source, did, on_item).start()


def wait_until_live(listener: Listener, poster: Client) -> None:
    """With no saved position the stream starts at "now", which is only known once it has
    connected: post until a post comes through."""

    def heard_one() -> bool:
        poster.send_post("warming up")
        return "warming up" in listener.texts()

    network.eventually(heard_one)


@pytest.mark.django_db(transaction=True)
def test_firehose_hears_new_posts_and_resumes_after_the_saved_position(
    bsky_account: network.TestAccount,
) -> None:
    poster = network.logged_in(bsky_account)
    key = f"bluesky:firehose:test-{secrets.token_hex(4)}"

    first = listen(Firehose(STREAM, key), bsky_account.did)
    wait_until_live(first, poster)
    ref = models.create_strong_ref(poster.send_post("Hello firehose", langs=["en"]))
    reply = poster.send_post(
        "Replying to myself", reply_to=models.AppBskyFeedPost.ReplyRef(parent=ref, root=ref)
    )
    network.eventually(lambda: "Replying to myself" in first.texts())
    first.finish()

    assert first.failure is None
    hello = next(item for item in first.heard if item.text == "Hello firehose")
    assert hello.kind == "post"
    assert hello.network == "bluesky"
    assert hello.remote_id == ref.uri
    assert hello.author.remote_id == bsky_account.did
    assert hello.languages == ("en",)
    assert hello.created_at is not None
    assert hello.created_at.tzinfo is not None
    rkey = ref.uri.rsplit("/", 1)[1]
    assert hello.url == f"https://bsky.app/profile/{bsky_account.did}/post/{rkey}"
    answer = first.heard[-1]
    assert (answer.remote_id, answer.in_reply_to, answer.conversation_id) == (
        reply.uri,
        ref.uri,
        ref.uri,
    )
    saved = StreamCursor.objects.get(source=key).cursor
    assert int(saved) >= answer.raw["seq"]

    # Posted while nothing listens: the next run starts after the saved position.
    poster.send_post("While you were away 1")
    poster.send_post("While you were away 2")
    second = listen(Firehose(STREAM, key), bsky_account.did)
    network.eventually(lambda: "While you were away 2" in second.texts())
    second.finish()

    assert second.failure is None
    assert second.texts() == ["While you were away 1", "While you were away 2"]
    assert int(StreamCursor.objects.get(source=key).cursor) > int(saved)


@pytest.mark.django_db(transaction=True)
def test_firehose_saves_as_it_goes_and_stops_at_a_failing_item(
    bsky_account: network.TestAccount,
) -> None:
    poster = network.logged_in(bsky_account)
    key = f"bluesky:firehose:test-{secrets.token_hex(4)}"

    def refuse_poison(item: RemotePost) -> None:
        if item.text == "poison":
            raise RuntimeError("the consumer could not store it")

    first = listen(Firehose(STREAM, key, save_every=1), bsky_account.did, refuse_poison)
    wait_until_live(first, poster)
    # Saved after each message, while the stream is still running.
    network.eventually(lambda: StreamCursor.objects.filter(source=key).exists())
    poster.send_post("before")
    poster.send_post("poison")
    first.thread.join(timeout=30)

    assert isinstance(first.failure, RuntimeError)
    assert first.texts()[-1] == "before"

    # The failed post was not passed over: the next run starts with it.
    second = listen(Firehose(STREAM, key), bsky_account.did)
    network.eventually(lambda: second.texts())
    poster.send_post("after")
    network.eventually(lambda: "after" in second.texts())
    second.finish()
    assert second.texts() == ["poison", "after"]


@pytest.mark.django_db(transaction=True)
def test_firehose_stops_on_an_idle_stream(bsky_account: network.TestAccount) -> None:
    key = f"bluesky:firehose:test-{secrets.token_hex(4)}"
    idle = listen(Firehose(STREAM, key, recv_timeout=600), bsky_account.did)

    idle.finish()

    assert idle.failure is None
    assert idle.heard == []


@pytest.mark.django_db(transaction=True)
def test_firehose_says_when_the_saved_position_is_ahead_of_the_stream(
    bsky_account: network.TestAccount,
) -> None:
    key = f"bluesky:firehose:test-{secrets.token_hex(4)}"
    StreamCursor.objects.create(source=key, cursor="999999999999")
    reset = listen(Firehose(STREAM, key), bsky_account.did)

    reset.thread.join(timeout=30)

    assert isinstance(reset.failure, Permanent)
    assert reset.failure.code == "FutureCursor"
    assert "Remove the saved position" in reset.failure.message
    assert StreamCursor.objects.get(source=key).cursor == "999999999999"


@pytest.mark.django_db
def test_firehose_refuses_a_saved_position_that_is_not_a_number() -> None:
    key = f"bluesky:firehose:test-{secrets.token_hex(4)}"
    StreamCursor.objects.create(source=key, cursor="3n3a2znqpuk2d")

    with pytest.raises(Permanent, match="not a sequence number"):
        Firehose(STREAM, key).run(lambda item: None, threading.Event())


def test_firehose_needs_a_websocket_address_and_a_key() -> None:
    with pytest.raises(ValueError, match="ws://"):
        Firehose(network.PDS + "/xrpc", "bluesky:firehose:x")
    with pytest.raises(ValueError, match="key"):
        Firehose(STREAM, "")


def test_search_finds_a_post_by_a_word_in_it(bsky_account: network.TestAccount) -> None:
    poster = network.logged_in(bsky_account)
    word = f"chorusword{secrets.token_hex(4)}"
    older = poster.send_post(f"First {word}", langs=["en"])
    newer = poster.send_post(f"Second {word}", langs=["en"])
    search = PostSearch(poster, word, sort="latest", per_page=1)

    def found_both() -> list[RemotePost] | None:
        page = search.fetch()
        if not page.items or not page.cursor:
            return None
        return [*page.items, *search.fetch(page.cursor).items]

    posts = network.eventually(found_both)

    assert [p.remote_id for p in posts] == [newer.uri, older.uri]
    assert posts[0].kind == "post"
    assert posts[0].text == f"Second {word}"
    assert posts[0].author.handle == bsky_account.handle
    assert posts[0].languages == ("en",)


def test_search_sends_bounds_language_and_sort_the_appview_accepts(
    bsky_account: network.TestAccount,
) -> None:
    poster = network.logged_in(bsky_account)
    word = f"chorusword{secrets.token_hex(4)}"
    post = poster.send_post(f"Bonjour {word}", langs=["fr"])
    now = datetime.now(UTC)
    network.eventually(lambda: PostSearch(poster, word).fetch().items)
    # The local AppView's built-in search matches text only and ignores the narrowing (a
    # search service applies it in production): what is checked here is that every
    # option goes out in a form the lexicon accepts.
    search = PostSearch(
        poster,
        word,
        sort="top",
        lang="fr",
        since=now - timedelta(hours=1),
        until=now + timedelta(hours=1),
    )

    assert [item.remote_id for item in search.fetch().items] == [post.uri]


def test_search_refuses_what_it_cannot_ask(bsky_account: network.TestAccount) -> None:
    poster = network.logged_in(bsky_account)
    with pytest.raises(ValueError, match="query"):
        PostSearch(poster, "  ")
    with pytest.raises(ValueError, match="latest or top"):
        PostSearch(poster, "word", sort="oldest")
    with pytest.raises(ValueError, match="time zone"):
        PostSearch(poster, "word", since=datetime(2026, 1, 1))
