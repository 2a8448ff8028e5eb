"""Reading back from the real local network what another account did to our posts."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import pytest
from atproto import Client, client_utils, models

from chorus.connectors.bluesky import reading
from chorus.connectors.bluesky.tests import network
from chorus.connectors.contract import PostMetrics, RemotePost
from chorus.connectors.errors import Permanent

T = TypeVar("T")


@dataclass(frozen=True)
class Reactions:
    post: models.AppBskyFeedPost.CreateRecordResponse
    reply: models.AppBskyFeedPost.CreateRecordResponse
    quote: models.AppBskyFeedPost.CreateRecordResponse
    mention: models.AppBskyFeedPost.CreateRecordResponse


def react(
    mine: Client, theirs: Client, me: network.TestAccount, text: str = "Launch day"
) -> Reactions:
    """Our account posts; the other one likes, reposts, replies, quotes, follows and
    mentions us."""
    post = mine.send_post(text, langs=["en"])
    # As a person would, the other account reacts to a post it can see: the AppView only
    # notifies a reply's parent author when it has the parent already.
    network.eventually(lambda: reading.post_metrics(theirs, [post.uri]))
    ref = models.create_strong_ref(post)
    theirs.like(post.uri, post.cid)
    theirs.repost(post.uri, post.cid)
    reply = theirs.send_post(
        "Congratulations!",
        reply_to=models.AppBskyFeedPost.ReplyRef(parent=ref, root=ref),
        langs=["en", "fr"],
    )
    quote = theirs.send_post("Look at this", embed=models.AppBskyEmbedRecord.Main(record=ref))
    theirs.follow(me.did)
    mention = theirs.send_post(client_utils.TextBuilder().text("Hello ").mention(me.handle, me.did))
    return Reactions(post, reply, quote, mention)


def settled(read: Callable[[], T], ok: Callable[[T], bool]) -> T:
    """What `read` gives once the AppView has caught up (`ok` says it has)."""

    def probe() -> T | None:
        value = read()
        return value if ok(value) else None

    return network.eventually(probe)


def all_kinds(client: Client) -> dict[str, RemotePost] | None:
    found = {item.kind: item for item in reading.notifications(client).items}
    wanted = {"like", "repost", "reply", "quote", "follow", "mention"}
    return found if wanted <= found.keys() else None


def test_notifications_say_who_did_what_to_which_post(
    bsky_account: network.TestAccount, bsky_other: network.TestAccount
) -> None:
    mine, theirs = network.logged_in(bsky_account), network.logged_in(bsky_other)
    done = react(mine, theirs, bsky_account)

    found = network.eventually(lambda: all_kinds(mine))

    for item in found.values():
        assert item.network == "bluesky"
        assert item.author.remote_id == bsky_other.did
        assert item.author.handle == bsky_other.handle
        assert item.created_at is not None
        assert item.created_at.tzinfo is not None
        assert item.url.startswith("https://bsky.app/profile/")
        json.dumps(item.raw)
    for kind in ("like", "repost"):
        assert found[kind].in_reply_to == done.post.uri
        assert found[kind].conversation_id == done.post.uri
        assert found[kind].remote_id.startswith(f"at://{bsky_other.did}/app.bsky.feed.{kind}/")
    reply = found["reply"]
    assert reply.remote_id == done.reply.uri
    assert reply.text == "Congratulations!"
    assert reply.in_reply_to == done.post.uri
    assert reply.conversation_id == done.post.uri
    assert reply.languages == ("en", "fr")
    rkey = done.reply.uri.rsplit("/", 1)[1]
    assert reply.url == f"https://bsky.app/profile/{bsky_other.handle}/post/{rkey}"
    quote = found["quote"]
    assert (quote.remote_id, quote.text) == (done.quote.uri, "Look at this")
    assert quote.in_reply_to == done.post.uri
    assert quote.conversation_id == done.quote.uri
    mention = found["mention"]
    assert (mention.remote_id, mention.text) == (done.mention.uri, "Hello " + bsky_account.handle)
    assert found["follow"].url == f"https://bsky.app/profile/{bsky_other.handle}"


def test_notifications_page_with_the_cursor(
    bsky_account: network.TestAccount, bsky_other: network.TestAccount
) -> None:
    mine, theirs = network.logged_in(bsky_account), network.logged_in(bsky_other)
    react(mine, theirs, bsky_account)
    network.eventually(lambda: all_kinds(mine))

    first = reading.notifications(mine, limit=4)
    second = reading.notifications(mine, first.cursor, limit=4)

    assert len(first.items) == 4
    assert first.cursor
    assert len(second.items) == 2
    assert not {i.remote_id for i in first.items} & {i.remote_id for i in second.items}


def counted(metrics: PostMetrics) -> tuple[int, int, int, int]:
    return (metrics.likes, metrics.reposts, metrics.replies, metrics.quotes)


def test_post_metrics_count_the_reactions_and_leave_out_deleted_posts(
    bsky_account: network.TestAccount, bsky_other: network.TestAccount
) -> None:
    mine, theirs = network.logged_in(bsky_account), network.logged_in(bsky_other)
    done = react(mine, theirs, bsky_account)
    gone = mine.send_post("Oops")
    mine.delete_post(gone.uri)
    # More than one getPosts call's worth (25), so the batches are exercised.
    quiet = [mine.send_post(f"Quiet {n}").uri for n in range(25)]
    network.eventually(lambda: all_kinds(mine))

    counts = settled(
        lambda: reading.post_metrics(mine, [done.post.uri, gone.uri, *quiet]),
        lambda found: len(found) == 26 and counted(found[done.post.uri]) == (1, 1, 1, 1),
    )

    assert gone.uri not in counts
    assert counted(counts[done.post.uri]) == (1, 1, 1, 1)
    assert counts[done.post.uri].impressions is None
    assert all(counts[uri].likes == 0 and counts[uri].replies == 0 for uri in quiet)


def test_profile_metrics_count_followers_follows_and_posts(
    bsky_account: network.TestAccount, bsky_other: network.TestAccount
) -> None:
    mine, theirs = network.logged_in(bsky_account), network.logged_in(bsky_other)
    theirs.follow(bsky_account.did)
    mine.follow(bsky_other.did)
    mine.send_post("One")
    mine.send_post("Two")

    def counts(actor: str) -> tuple[int, int, int]:
        found = reading.profile_metrics(mine, actor)
        return (found.followers, found.following, found.posts)

    # The AppView updates counts after indexing: wait for them rather than read once.
    assert settled(lambda: counts(bsky_account.did), lambda found: found == (1, 1, 2))
    # An actor is named by DID or by handle.
    assert settled(lambda: counts(bsky_other.handle), lambda found: found == (1, 1, 0))


def test_thread_gives_the_post_then_replies_parents_first(
    bsky_account: network.TestAccount, bsky_other: network.TestAccount
) -> None:
    mine, theirs = network.logged_in(bsky_account), network.logged_in(bsky_other)
    root = mine.send_post("Question?")
    root_ref = models.create_strong_ref(root)

    def answer(client: Client, text: str, parent: models.ComAtprotoRepoStrongRef.Main) -> str:
        reply = client.send_post(
            text, reply_to=models.AppBskyFeedPost.ReplyRef(parent=parent, root=root_ref)
        )
        return reply.uri

    first = theirs.send_post(
        "Answer", reply_to=models.AppBskyFeedPost.ReplyRef(parent=root_ref, root=root_ref)
    )
    follow_up = answer(mine, "Thanks", models.create_strong_ref(first))
    second = answer(theirs, "Another answer", root_ref)
    retracted = answer(theirs, "Never mind", root_ref)
    theirs.delete_post(retracted)

    expected = {root.uri, first.uri, follow_up, second}
    posts = settled(
        lambda: reading.thread(mine, root.uri),
        lambda found: {p.remote_id for p in found} == expected,
    )

    assert posts[0].remote_id == root.uri
    assert posts[0].kind == "post"
    assert {p.kind for p in posts[1:]} == {"reply"}
    order = [p.remote_id for p in posts]
    assert len(order) == len(expected)
    assert order.index(first.uri) < order.index(follow_up)
    by_id = {p.remote_id: p for p in posts}
    assert by_id[follow_up].in_reply_to == first.uri
    assert by_id[follow_up].conversation_id == root.uri
    assert by_id[follow_up].author.handle == bsky_account.handle
    assert by_id[second].text == "Another answer"


def test_thread_of_a_missing_post_is_refused_with_the_reason(
    bsky_account: network.TestAccount,
) -> None:
    mine = network.logged_in(bsky_account)
    never_posted = f"at://{bsky_account.did}/app.bsky.feed.post/3zzzzzzzzzzzz"

    with pytest.raises(Permanent) as refused:
        reading.thread(mine, never_posted)

    assert refused.value.status == 400
    assert "NotFound" in refused.value.message
