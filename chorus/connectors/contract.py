"""The interface every network implements, and what passes through it.

The engine hands a connector one part of a post at a time (a thread is several parts,
then maybe a first comment) and records each part's remote id before asking for the next,
so a retry resumes where the last attempt stopped rather than posting the thread twice.
"""

from __future__ import annotations

import abc
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import IO, Any

from chorus.connectors.errors import NotSupported
from chorus.orgs.models import SocialAccount


class Capability(StrEnum):
    TEXT = "text"
    IMAGES = "images"
    VIDEO = "video"
    THREADS = "threads"
    FIRST_COMMENT = "first_comment"
    DELETE = "delete"
    METRICS = "metrics"
    INBOX = "inbox"
    # The network can tell whether a post with our idempotency key exists.
    LOOKUP = "lookup"
    # The network itself drops a repeated request with the same idempotency key.
    IDEMPOTENT = "idempotent"
    LINK_CARDS = "link_cards"
    QUOTES = "quotes"
    POLLS = "polls"
    CONTENT_WARNINGS = "content_warnings"
    VISIBILITY = "visibility"
    LANGUAGES = "languages"
    REPLY_CONTROLS = "reply_controls"
    ALT_TEXT = "alt_text"
    PROFILE_METRICS = "profile_metrics"
    NOTIFICATIONS = "notifications"
    DIRECT_MESSAGES = "direct_messages"
    THREAD_READ = "thread_read"
    LISTENING_STREAM = "listening_stream"
    LISTENING_SEARCH = "listening_search"


@dataclass(frozen=True)
class Budget:
    """How hard Chorus may push one account and the whole network."""

    in_flight_per_account: int = 1
    in_flight_per_network: int = 32


@dataclass(frozen=True)
class Media:
    """A file to upload. `open` gives the bytes (from storage, or a network copy)."""

    mime_type: str
    alt_text: str
    size_bytes: int
    open: Callable[[], IO[bytes]]
    width: int | None = None
    height: int | None = None
    duration_seconds: float | None = None
    name: str = ""
    # Focal point for networks that crop previews (Mastodon): x and y in -1.0..1.0.
    focus: tuple[float, float] | None = None


@dataclass(frozen=True)
class Part:
    text: str
    media: Sequence[Media] = ()


@dataclass(frozen=True)
class Outgoing:
    """One delivery, as a connector sees it."""

    delivery_id: int
    post_id: int
    idempotency_key: str
    parts: Sequence[Part]
    link: str = ""
    first_comment: str = ""
    options: Mapping[str, Any] = field(default_factory=dict)
    scheduled_for: str = ""  # ISO 8601, UTC
    # When the delivery was made (ISO 8601, UTC). Unlike scheduled_for, which a reschedule
    # or "publish now" rewrites, it never changes: keys derived from it stay the same.
    created_at: str = ""
    # When the delivery was first tried; set by the engine when it asks find(), since
    # nothing of this delivery can be older on the network.
    first_attempt_at: datetime | None = None


@dataclass(frozen=True)
class Published:
    remote_id: str
    remote_url: str = ""
    # Set when the network said the account's budget is spent (RateLimit-Remaining: 0):
    # the engine holds the account's other deliveries until then instead of hitting 429s.
    budget_resets_at: datetime | None = None


@dataclass(frozen=True)
class PostMetrics:
    """Counts for one published post, as the network reports them now."""

    remote_id: str
    likes: int = 0
    reposts: int = 0
    replies: int = 0
    quotes: int = 0
    # Only some networks report these; None means "not reported", not zero.
    impressions: int | None = None
    clicks: int | None = None


@dataclass(frozen=True)
class ProfileMetrics:
    followers: int
    following: int
    posts: int


@dataclass(frozen=True)
class Author:
    remote_id: str
    handle: str
    display_name: str = ""
    avatar_url: str = ""


@dataclass(frozen=True)
class RemotePost:
    """A post, comment, message or notification read from a network: what the inbox and
    listening store. `kind` is post, reply, mention, quote, follow, like, repost or
    direct_message."""

    network: str
    kind: str
    remote_id: str
    author: Author
    text: str = ""
    url: str = ""
    created_at: datetime | None = None
    # The post this one answers or is about (a reply's parent, a like's subject).
    in_reply_to: str = ""
    # The thread or conversation it belongs to, for grouping in the inbox.
    conversation_id: str = ""
    languages: tuple[str, ...] = ()
    raw: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Page:
    """One page of a listing and the cursor that fetches the next (empty: no more)."""

    items: Sequence[RemotePost]
    cursor: str = ""


class Connector(abc.ABC):
    network: str
    label: str
    capabilities: frozenset[Capability] = frozenset({Capability.TEXT})
    budget: Budget = Budget()
    # For IDEMPOTENT connectors: how many seconds the network remembers an idempotency
    # key (None: for ever). A doubtful attempt older than this cannot be resent safely.
    idempotency_window: float | None = None

    @abc.abstractmethod
    def publish(
        self,
        account: SocialAccount,
        outgoing: Outgoing,
        index: int,
        reply_to: Published | None,
    ) -> Published:
        """Publish part `index` of `outgoing` (a reply to `reply_to` when it is not the
        first). Raise one of chorus.connectors.errors on failure."""

    def comment(self, account: SocialAccount, outgoing: Outgoing, on: Published) -> Published:
        raise NotSupported(f"{self.label} has no first comments")

    def find(self, account: SocialAccount, outgoing: Outgoing, index: int) -> Published | None:
        """Whether part `index` of `outgoing` exists on the network: the answer to an
        unknown outcome. Only called when the connector declares LOOKUP."""
        raise NotSupported(f"{self.label} cannot look up a post")

    def delete(self, account: SocialAccount, remote_id: str) -> None:
        raise NotSupported(f"{self.label} cannot delete posts")

    def check(self, account: SocialAccount) -> None:
        """Verify the account's credentials; raise AuthError when they no longer work.
        Connectors without a cheap way to ask accept the account as it is."""
        return

    def disconnect(self, account: SocialAccount) -> None:
        """Give up the account's access on the network (revoke tokens) where it can."""
        return

    # Reading. Each is declared by a capability; the defaults say it is missing.

    def post_metrics(
        self, account: SocialAccount, remote_ids: Sequence[str]
    ) -> dict[str, PostMetrics]:
        raise NotSupported(f"{self.label} does not report post metrics")

    def profile_metrics(self, account: SocialAccount) -> ProfileMetrics:
        raise NotSupported(f"{self.label} does not report profile metrics")

    def notifications(self, account: SocialAccount, cursor: str = "") -> Page:
        """Newest first: mentions, replies, quotes and follows (what the inbox shows)."""
        raise NotSupported(f"{self.label} has no notifications")

    def direct_messages(self, account: SocialAccount, cursor: str = "") -> Page:
        raise NotSupported(f"{self.label} has no direct messages")

    def thread(self, account: SocialAccount, remote_id: str) -> list[RemotePost]:
        """The post and the replies under it, parents before children."""
        raise NotSupported(f"{self.label} cannot read a thread")
