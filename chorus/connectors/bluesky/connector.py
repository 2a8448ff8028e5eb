"""Publishing to Bluesky through the account's PDS.

Exactly once: every part is written under a record key Chorus derives from what never
changes about the delivery (its idempotency key and creation time) and the part's place
(see `record_key`), not one the PDS picks. A retry, even after the post was rescheduled
or published again by hand, therefore aims at the same record: `publish` first looks
whether it is already there, and the PDS refuses a second record under a key in use, so
a retry cannot post twice; an unknown outcome is settled by `find`, which reads the
repository's recent records for that key. A record found under the key counts as ours
only when it holds the part's text.

A post and its threadgate (reply controls) go in one applyWrites call, so a post never
appears without the limits its author chose. The threadgate shares the post's record key,
as the lexicon requires.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

from atproto import Client
from atproto_client.models.utils import get_model_as_dict
from atproto_core.uri import AtUri
from django.utils.translation import gettext as _

from chorus.connectors.bluesky import embeds, messages, reading
from chorus.connectors.bluesky.errors import SessionExpired, mapped
from chorus.connectors.bluesky.references import REPLY_RULES
from chorus.connectors.bluesky.richtext import facets_for
from chorus.connectors.bluesky.session import client_for, current_session
from chorus.connectors.contract import (
    Budget,
    Capability,
    Connector,
    Media,
    Outgoing,
    Page,
    PostMetrics,
    ProfileMetrics,
    Published,
    RemotePost,
)
from chorus.connectors.credentials import credentials_of
from chorus.connectors.errors import (
    AuthError,
    ConnectorError,
    Permanent,
    Retryable,
    UnknownOutcome,
)
from chorus.orgs.models import SocialAccount

POST = "app.bsky.feed.post"
THREADGATE = "app.bsky.feed.threadgate"
# How far back `find` reads the repository before asking for the record by its key.
FIND_PAGES = 5
FIND_PAGE_SIZE = 100
T = TypeVar("T")

_TID_ALPHABET = "234567abcdefghijklmnopqrstuvwxyz"
# Used for the time part of a record key when the delivery's creation time is unknown.
_UNDATED_EPOCH = 1_700_000_000


def tid(microseconds: int, clock_id: int) -> str:
    """A TID: 53 bits of microseconds since 1970 and 10 bits of clock id, top bit clear,
    in 13 characters of base32-sortable."""
    value = ((microseconds & (2**53 - 1)) << 10) | (clock_id & 0x3FF)
    return "".join(_TID_ALPHABET[(value >> (5 * i)) & 31] for i in reversed(range(13)))


def record_key(outgoing: Outgoing, slot: int) -> str:
    """The record key of part `slot` (the first comment's slot follows the last part).

    app.bsky.feed.post keys must be TIDs, so the key is built like one, from the
    delivery's creation time (to the second, so keys sort by time), then bits of a hash of
    the idempotency key (milliseconds and clock id: two deliveries of one account made in
    the same second collide with a chance of one in a million, and `publish` notices by
    the text), with the slot in the microseconds so a thread's parts sort in order. Not the
    scheduled time: rescheduling, "publish now" and retrying a failed delivery rewrite it,
    and a changed key would post again what a lost answer had already posted."""
    digest = int.from_bytes(hashlib.sha256(outgoing.idempotency_key.encode()).digest()[:8], "big")
    seconds = _seconds(outgoing.created_at)
    if seconds is None:
        seconds = _UNDATED_EPOCH + digest % (2**25)
    micros = seconds * 1_000_000 + (digest % 1000) * 1000 + slot % 1000
    return tid(micros, digest >> 20)


def _seconds(value: str) -> int | None:
    if not value:
        return None
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return int(when.timestamp())


def _published(account: SocialAccount, uri: str) -> Published:
    return Published(uri, reading.post_url(uri, (account.handle or "").removeprefix("@")))


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _as_dict(value: Any) -> dict[str, Any]:
    if isinstance(value, dict):
        return value
    return dict(get_model_as_dict(value))


def languages(option: Any) -> list[str]:
    if not option:
        return []
    values = option if isinstance(option, list | tuple) else str(option).split(",")
    return [str(v).strip() for v in values if str(v).strip()]


def threadgate_rules(option: Any) -> list[dict[str, str]] | None:
    """The threadgate's `allow` list for the reply_control option; None: no threadgate."""
    chosen = [v.strip().lower() for v in str(option or "").split(",") if v.strip()]
    if not chosen or chosen == ["everyone"]:
        return None
    if chosen == ["nobody"]:
        return []
    unknown = [v for v in chosen if v not in REPLY_RULES]
    if unknown:
        raise Permanent(
            _(
                "“%(value)s” is not a Bluesky reply setting: use everyone, nobody, or any of "
                "mentioned, following and followers."
            )
            % {"value": ", ".join(unknown)},
            code="invalid_reply_control",
        )
    return [{"$type": REPLY_RULES[v]} for v in dict.fromkeys(chosen)]


class BlueskyConnector(Connector):
    network = "bluesky"
    label = "Bluesky"
    capabilities = frozenset(
        {
            Capability.TEXT,
            Capability.IMAGES,
            Capability.VIDEO,
            Capability.THREADS,
            Capability.FIRST_COMMENT,
            Capability.DELETE,
            Capability.LOOKUP,
            Capability.LINK_CARDS,
            Capability.QUOTES,
            Capability.LANGUAGES,
            Capability.REPLY_CONTROLS,
            Capability.ALT_TEXT,
            Capability.METRICS,
            Capability.PROFILE_METRICS,
            Capability.NOTIFICATIONS,
            Capability.DIRECT_MESSAGES,
            Capability.THREAD_READ,
            Capability.INBOX,
            Capability.LISTENING_STREAM,
            Capability.LISTENING_SEARCH,
        }
    )
    # The DID the PDS proxies chat.bsky.* calls to (chorus.connectors.bluesky.messages).
    chat_service = messages.BSKY_CHAT
    # A PDS limits writes per account (points per hour and day), not connections; two at
    # once keeps a thread and another post moving without bursting that budget.
    budget = Budget(in_flight_per_account=2, in_flight_per_network=32)

    # Publishing --------------------------------------------------------------------------

    def publish(
        self, account: SocialAccount, outgoing: Outgoing, index: int, reply_to: Published | None
    ) -> Published:
        part = outgoing.parts[index]
        first = index == 0
        return self._call(
            account,
            lambda client: self._write_post(
                client,
                account,
                outgoing,
                slot=index,
                text=part.text,
                media=part.media,
                reply_to=reply_to,
                link=outgoing.link if first and not part.media else "",
                quote=str(outgoing.options.get("quote") or "") if first else "",
                gate=threadgate_rules(outgoing.options.get("reply_control")) if first else None,
            ),
            write=True,
        )

    def comment(self, account: SocialAccount, outgoing: Outgoing, on: Published) -> Published:
        return self._call(
            account,
            lambda client: self._write_post(
                client,
                account,
                outgoing,
                slot=len(outgoing.parts),
                text=outgoing.first_comment,
                media=(),
                reply_to=on,
            ),
            write=True,
        )

    def find(self, account: SocialAccount, outgoing: Outgoing, index: int) -> Published | None:
        rkey = record_key(outgoing, index)
        found = self._call(account, lambda client: self._find(client, rkey))
        if found is None:
            return None
        _ours(found, outgoing.parts[index].text)
        return _published(account, found.uri)

    def delete(self, account: SocialAccount, remote_id: str) -> None:
        parsed = _parse_post_uri(remote_id)

        def run(client: Client) -> None:
            for collection in (THREADGATE, POST):
                # Deleting a record that is not there succeeds: a retried delete is fine.
                client.com.atproto.repo.delete_record(
                    {"repo": parsed.hostname, "collection": collection, "rkey": parsed.rkey}
                )

        self._call(account, run, write=True)

    def check(self, account: SocialAccount) -> None:
        client = client_for(account, refresh=True)
        with mapped():
            client.com.atproto.server.get_session()

    def disconnect(self, account: SocialAccount) -> None:
        stored = credentials_of(account).get("session") or ""
        if not stored:
            return
        try:
            client = client_for(account)
        except AuthError:
            return
        refresh = current_session(client).refresh_jwt
        with mapped():
            client.com.atproto.server.delete_session(
                headers={"Authorization": f"Bearer {refresh}"}, ignore_session_check=True
            )

    # Reading (chorus.connectors.bluesky.reading) -----------------------------------------

    def post_metrics(
        self, account: SocialAccount, remote_ids: Sequence[str]
    ) -> dict[str, PostMetrics]:
        return self._call(account, lambda client: reading.post_metrics(client, remote_ids))

    def profile_metrics(self, account: SocialAccount) -> ProfileMetrics:
        return self._call(
            account, lambda client: reading.profile_metrics(client, account.remote_id)
        )

    def notifications(self, account: SocialAccount, cursor: str = "") -> Page:
        return self._call(account, lambda client: reading.notifications(client, cursor))

    def thread(self, account: SocialAccount, remote_id: str) -> list[RemotePost]:
        return self._call(account, lambda client: reading.thread(client, remote_id))

    def direct_messages(self, account: SocialAccount, cursor: str = "") -> Page:
        return self._call(
            account,
            lambda client: messages.direct_messages(client, cursor, chat_service=self.chat_service),
        )

    # Internals ---------------------------------------------------------------------------

    def _call(
        self, account: SocialAccount, run: Callable[[Client], T], *, write: bool = False
    ) -> T:
        """Run `run` with a signed-in client; once more with a renewed session when the
        server says the access token has expired (then nothing was written)."""
        client = client_for(account)
        try:
            with mapped(write=write):
                return run(client)
        except SessionExpired:
            client = client_for(account, refresh=True)
            with mapped(write=write):
                return run(client)

    def _write_post(
        self,
        client: Client,
        account: SocialAccount,
        outgoing: Outgoing,
        *,
        slot: int,
        text: str,
        media: Sequence[Media],
        reply_to: Published | None,
        link: str = "",
        quote: str = "",
        gate: list[dict[str, str]] | None = None,
    ) -> Published:
        repo = _repo(client)
        rkey = record_key(outgoing, slot)
        existing = _get_post(client, repo, rkey)
        if existing:
            _ours(existing, text)
            return _published(account, existing.uri)
        record: dict[str, Any] = {"$type": POST, "text": text, "createdAt": _now()}
        facets = facets_for(client, text)
        if facets:
            record["facets"] = facets
        langs = languages(outgoing.options.get("language"))
        if langs:
            record["langs"] = langs
        if reply_to is not None:
            record["reply"] = _reply_ref(client, reply_to.remote_id)
        media_embed = embeds.media_embed(client, media)
        if media_embed is None and link:
            media_embed = embeds.link_embed(client, link)
        embed = embeds.combine(media_embed, embeds.quote_ref(client, quote) if quote else None)
        if embed is not None:
            record["embed"] = embed
        uri = f"at://{repo}/{POST}/{rkey}"
        writes = [_create(POST, rkey, record)]
        if gate is not None:
            gate_record = {"$type": THREADGATE, "post": uri, "allow": gate, "createdAt": _now()}
            writes.append(_create(THREADGATE, rkey, gate_record))
        try:
            with mapped(write=True):
                answer = client.com.atproto.repo.apply_writes({"repo": repo, "writes": writes})
        except (Retryable, UnknownOutcome, Permanent) as error:
            # A concurrent or earlier attempt may have written it (the PDS answers a key in
            # use with an error); then that record is the answer.
            try:
                existing = _get_post(client, repo, rkey)
            except ConnectorError:
                raise error from None
            if existing:
                _ours(existing, text)
                return _published(account, existing.uri)
            raise
        results = answer.results or []
        written = getattr(results[0], "uri", "") if results else ""
        return _published(account, written or uri)

    def _find(self, client: Client, rkey: str) -> Found | None:
        repo = _repo(client)
        cursor = None
        for _page in range(FIND_PAGES):
            params: dict[str, Any] = {"repo": repo, "collection": POST, "limit": FIND_PAGE_SIZE}
            if cursor:
                params["cursor"] = cursor
            listing = client.com.atproto.repo.list_records(params)
            for item in listing.records:
                found = AtUri.from_str(item.uri).rkey
                if found == rkey:
                    return Found(str(item.uri), _text_of(item.value))
                # Newest first, by key: past ours, it is not there.
                if found < rkey:
                    return None
            cursor = listing.cursor
            if not cursor or not listing.records:
                return None
        return _get_post(client, repo, rkey)


def _repo(client: Client) -> str:
    return current_session(client).did


def _create(collection: str, rkey: str, value: dict[str, Any]) -> dict[str, Any]:
    return {
        "$type": "com.atproto.repo.applyWrites#create",
        "collection": collection,
        "rkey": rkey,
        "value": value,
    }


@dataclass(frozen=True)
class Found:
    """A post already in the repository under a key Chorus derived."""

    uri: str
    text: str


def _text_of(value: Any) -> str:
    return str(_as_dict(value).get("text") or "")


def _ours(found: Found, text: str) -> None:
    """Refuse to report a post as this part unless it says what the part says."""
    if found.text == text:
        return
    raise Permanent(
        _(
            "Bluesky already holds a different post (%(uri)s) under the record key of this "
            "part: either this post was published before with other text, or another post "
            "happens to share the key. Chorus did not post it again. If that post is an old "
            "version of this one, delete it and publish again; if it is another post, publish "
            "a copy of this post instead."
        )
        % {"uri": found.uri},
        code="record_key_taken",
    )


def _get_post(client: Client, repo: str, rkey: str) -> Found | None:
    """The post under `rkey`, or None when there is none."""
    try:
        with mapped():
            found = client.com.atproto.repo.get_record(
                {"repo": repo, "collection": POST, "rkey": rkey}
            )
    except Permanent as error:
        if error.code == "RecordNotFound":
            return None
        raise
    return Found(str(found.uri), _text_of(found.value))


def _parse_post_uri(remote_id: str) -> AtUri:
    try:
        parsed = AtUri.from_str(remote_id)
    except Exception as error:  # the SDK raises plain exceptions for bad URIs
        raise Permanent(
            _("“%(id)s” is not a Bluesky post URI.") % {"id": remote_id[:200]}, code="invalid_id"
        ) from error
    if parsed.collection != POST or not parsed.rkey:
        raise Permanent(
            _("“%(id)s” is not a Bluesky post URI.") % {"id": remote_id[:200]}, code="invalid_id"
        )
    return parsed


def _reply_ref(client: Client, parent_uri: str) -> dict[str, Any]:
    """Root and parent strong references for a reply to `parent_uri`: the parent is read
    back for its CID, and its own reply root (if it is a reply) is the thread's root."""
    parsed = _parse_post_uri(parent_uri)
    with mapped():
        parent = client.com.atproto.repo.get_record(
            {"repo": parsed.hostname, "collection": POST, "rkey": parsed.rkey}
        )
    parent_ref = {"uri": str(parent.uri), "cid": str(parent.cid or "")}
    reply = _as_dict(parent.value).get("reply") or {}
    root = reply.get("root") or parent_ref
    return {"root": {"uri": root["uri"], "cid": root["cid"]}, "parent": parent_ref}
