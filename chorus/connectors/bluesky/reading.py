"""What Chorus reads back from Bluesky: counts, notifications and threads.

Every function takes a logged-in atproto Client (chorus.connectors.bluesky.session gives
one for an account) and answers in the connector contract's shapes, so nothing outside
this package sees an SDK object. The app.bsky.* calls are answered by an AppView: the PDS
proxies them there.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from atproto import AtUri, Client, models
from atproto_core.exceptions import AtProtocolError

from chorus.connectors.bluesky.errors import mapped
from chorus.connectors.contract import Author, Page, PostMetrics, ProfileMetrics, RemotePost

NETWORK = "bluesky"
# app.bsky.feed.getPosts takes at most 25 URIs per call.
POSTS_PER_CALL = 25
# Deep enough for any conversation a person reads in an inbox, without asking the AppView
# for the whole tree of a post that went viral (the lexicon allows up to 1000).
THREAD_DEPTH = 100
WEB = "https://bsky.app"
# What the AppView shows for an account whose handle no longer resolves to its DID.
INVALID_HANDLE = "handle.invalid"

# Notification reasons the inbox shows; each is also the RemotePost kind.
KINDS = frozenset({"mention", "reply", "quote", "follow", "like", "repost"})


def post_metrics(client: Client, uris: Sequence[str]) -> dict[str, PostMetrics]:
    """Current counts of each post; posts the AppView no longer has (deleted, taken
    down) are left out."""
    wanted = list(dict.fromkeys(uris))
    found: dict[str, PostMetrics] = {}
    for start in range(0, len(wanted), POSTS_PER_CALL):
        batch = wanted[start : start + POSTS_PER_CALL]
        with mapped():
            answer = client.app.bsky.feed.get_posts(models.AppBskyFeedGetPosts.Params(uris=batch))
        for post in answer.posts:
            found[post.uri] = PostMetrics(
                remote_id=post.uri,
                likes=post.like_count or 0,
                reposts=post.repost_count or 0,
                replies=post.reply_count or 0,
                quotes=post.quote_count or 0,
            )
    return found


def profile_metrics(client: Client, actor: str) -> ProfileMetrics:
    """Follower, follow and post counts of `actor` (a DID or handle)."""
    with mapped():
        profile = client.app.bsky.actor.get_profile(
            models.AppBskyActorGetProfile.Params(actor=actor)
        )
    return ProfileMetrics(
        followers=profile.followers_count or 0,
        following=profile.follows_count or 0,
        posts=profile.posts_count or 0,
    )


def notifications(client: Client, cursor: str = "", *, limit: int = 50) -> Page:
    """One page of the account's notifications, newest first. Reasons Chorus does not
    show in the inbox (starter pack joins, verification…) are left out of the page."""
    params = models.AppBskyNotificationListNotifications.Params(cursor=cursor or None, limit=limit)
    with mapped():
        answer = client.app.bsky.notification.list_notifications(params)
    items = [_from_notification(note) for note in answer.notifications if note.reason in KINDS]
    return Page(items=items, cursor=answer.cursor or "")


def thread(client: Client, uri: str) -> list[RemotePost]:
    """The post, then its replies depth first (parents before children). Replies the
    AppView cannot show (blocked, deleted) are skipped with everything under them."""
    params = models.AppBskyFeedGetPostThread.Params(uri=uri, depth=THREAD_DEPTH, parent_height=0)
    with mapped():
        answer = client.app.bsky.feed.get_post_thread(params)
    found: list[RemotePost] = []
    pending: list[Any] = [answer.thread]
    while pending:
        node = pending.pop()
        if not isinstance(node, models.AppBskyFeedDefs.ThreadViewPost):
            continue
        found.append(post_from_view(node.post, kind="post" if not found else "reply"))
        # Reversed so that popping from the end visits replies in the AppView's order.
        pending.extend(reversed(node.replies or []))
    return found


def post_from_view(post: models.AppBskyFeedDefs.PostView, *, kind: str = "post") -> RemotePost:
    """A hydrated post (as getPosts, getPostThread and searchPosts give it)."""
    record = post.record
    author = _author(post.author)
    base = RemotePost(
        network=NETWORK,
        kind=kind,
        remote_id=post.uri,
        author=author,
        url=post_url(post.uri, author.handle),
        created_at=parse_datetime(post.indexed_at),
        conversation_id=post.uri,
        raw={"uri": post.uri, "cid": post.cid, "indexed_at": post.indexed_at},
    )
    if isinstance(record, models.AppBskyFeedPost.Record):
        return with_post_record(base, record)
    return base


def post_url(uri: str, profile: str = "") -> str:
    """The bsky.app address of a post, under the author's handle when known (it reads
    better) and otherwise the DID from the URI."""
    try:
        parsed = AtUri.from_str(uri)
    except (AtProtocolError, ValueError):
        return ""
    if parsed.collection != "app.bsky.feed.post" or not parsed.rkey:
        return ""
    if profile == INVALID_HANDLE:
        profile = ""
    return f"{WEB}/profile/{profile or parsed.host}/post/{parsed.rkey}"


def profile_url(author: Author) -> str:
    handle = author.handle if author.handle != INVALID_HANDLE else ""
    return f"{WEB}/profile/{handle or author.remote_id}"


def parse_datetime(value: str | None) -> datetime | None:
    """An aware datetime from an AT Protocol timestamp; None for a missing or malformed
    one (records are written by clients and may hold anything)."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def with_post_record(base: RemotePost, record: models.AppBskyFeedPost.Record) -> RemotePost:
    """`base` completed from a post record: text, languages, time, and the thread it
    belongs to (a reply names its parent and the thread's root)."""
    in_reply_to = base.in_reply_to
    conversation_id = base.conversation_id or base.remote_id
    if record.reply is not None:
        in_reply_to = record.reply.parent.uri
        conversation_id = record.reply.root.uri
    return replace(
        base,
        text=record.text,
        created_at=parse_datetime(record.created_at) or base.created_at,
        in_reply_to=in_reply_to,
        conversation_id=conversation_id,
        languages=tuple(record.langs or ()),
    )


def _author(
    profile: models.AppBskyActorDefs.ProfileView | models.AppBskyActorDefs.ProfileViewBasic,
) -> Author:
    return Author(
        remote_id=profile.did,
        handle=profile.handle,
        display_name=profile.display_name or "",
        avatar_url=profile.avatar or "",
    )


def _quoted_uri(record: models.AppBskyFeedPost.Record) -> str:
    embed = record.embed
    if isinstance(embed, models.AppBskyEmbedRecord.Main):
        return embed.record.uri
    if isinstance(embed, models.AppBskyEmbedRecordWithMedia.Main):
        return embed.record.record.uri
    return ""


def _from_notification(
    note: models.AppBskyNotificationListNotifications.Notification,
) -> RemotePost:
    kind = note.reason
    author = _author(note.author)
    record = note.record
    base = RemotePost(
        network=NETWORK,
        kind=kind,
        remote_id=note.uri,
        author=author,
        url=post_url(note.uri, author.handle),
        created_at=parse_datetime(note.indexed_at),
        in_reply_to=note.reason_subject or "",
        raw={
            "uri": note.uri,
            "cid": note.cid,
            "reason": note.reason,
            "reason_subject": note.reason_subject or "",
            "indexed_at": note.indexed_at,
            "is_read": bool(note.is_read),
        },
    )
    if isinstance(record, models.AppBskyFeedPost.Record):
        post = with_post_record(base, record)
        if kind == "quote":
            quoted = _quoted_uri(record) or base.in_reply_to
            # A quote starts its own thread; it is "about" the quoted post.
            return replace(post, in_reply_to=quoted)
        return post
    if isinstance(record, models.AppBskyFeedLike.Record | models.AppBskyFeedRepost.Record):
        subject = record.subject.uri
        return replace(
            base,
            in_reply_to=subject,
            conversation_id=subject,
            url=post_url(subject),
            created_at=parse_datetime(record.created_at) or base.created_at,
        )
    if isinstance(record, models.AppBskyGraphFollow.Record):
        return replace(
            base,
            url=profile_url(author),
            created_at=parse_datetime(record.created_at) or base.created_at,
        )
    return base
