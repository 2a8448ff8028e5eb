"""Bluesky direct messages, read for the inbox.

Messages live in Bluesky's chat service, not in the account's repository. The client asks
its own PDS, naming the chat service in the `atproto-proxy` header; the PDS signs the
request for that service and passes it on. The PDS does so only for sessions made with an
app password that was created with "allow access to direct messages": any other app
password gets "Bad token method".

A page lists conversations (chat.bsky.convo.listConvos, most recently active first) with
the newest messages of each (chat.bsky.convo.getMessages); the page's cursor continues
the conversation listing.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any, TypeAlias

from atproto import Client, models
from atproto_core.exceptions import AtProtocolError
from django.utils.translation import gettext as _

from chorus.connectors.bluesky.errors import translate, xrpc_error
from chorus.connectors.bluesky.reading import INVALID_HANDLE, WEB, parse_datetime
from chorus.connectors.bluesky.session import current_session
from chorus.connectors.contract import Author, Page, RemotePost
from chorus.connectors.errors import Permanent

NETWORK = "bluesky"
# The service every bsky.social account's chat lives on (the PDS resolves this DID to it).
BSKY_CHAT = "did:web:api.bsky.chat"
CHAT_SERVICE_ID = "bsky_chat"
CONVOS_PER_PAGE = 20
# The newest messages of each conversation: enough for the inbox to catch up between two
# syncs; older history stays on Bluesky.
MESSAGES_PER_CONVO = 20
KIND = "direct_message"
# What the PDS answers a privileged method called with an ordinary app password.
NOT_PRIVILEGED = ("InvalidToken", "Bad token method")

Profile: TypeAlias = models.ChatBskyActorDefs.ProfileViewBasic


def direct_messages(
    client: Client,
    cursor: str = "",
    *,
    chat_service: str = BSKY_CHAT,
    convos: int = CONVOS_PER_PAGE,
    messages: int = MESSAGES_PER_CONVO,
) -> Page:
    """One page of conversations, as the newest messages in each, newest conversation
    first. Messages the account sent are included with raw["from_me"] True; deleted
    messages and system notices (member joined, group renamed…) are left out."""
    me = current_session(client).did
    chat = client.with_proxy(CHAT_SERVICE_ID, chat_service)
    items: list[RemotePost] = []
    try:
        with dm_mapped():
            listing = chat.chat.bsky.convo.list_convos(
                models.ChatBskyConvoListConvos.Params(cursor=cursor or None, limit=convos)
            )
            for convo in listing.convos:
                if convo.last_message is None:
                    continue
                answer = chat.chat.bsky.convo.get_messages(
                    models.ChatBskyConvoGetMessages.Params(convo_id=convo.id, limit=messages)
                )
                profiles = {p.did: p for p in [*convo.members, *(answer.related_profiles or [])]}
                items.extend(
                    _from_message(message, convo, profiles, me)
                    for message in answer.messages
                    if isinstance(message, models.ChatBskyConvoDefs.MessageView)
                )
    finally:
        # The proxied copy of the client opened its own connection pool.
        chat.request.close()
    return Page(items=items, cursor=listing.cursor or "")


@contextmanager
def dm_mapped() -> Iterator[None]:
    """Like errors.mapped, except for the PDS refusing chat to the app password.

    That refusal is Permanent ("dm_not_allowed"), not AuthError: the app password still
    publishes and reads everything else, so marking the account "needs reconnect" would
    stop its scheduled posts for something only the inbox misses. Nor may it pass through
    errors.mapped, which takes "InvalidToken" for an expired session, refreshes and asks
    again, to the same answer. The person fixes it by creating an app password that
    allows direct messages and reconnecting with it, which the message says."""
    try:
        yield
    except AtProtocolError as error:
        if xrpc_error(error) == NOT_PRIVILEGED:
            raise Permanent(
                _(
                    "Bluesky does not let Chorus read this account's direct messages: its "
                    "app password was created without access to direct messages. Create a "
                    "new app password in Bluesky (Settings → Privacy and security → App "
                    "passwords) with “Allow access to your direct messages” ticked, and "
                    "reconnect the account with it."
                ),
                code="dm_not_allowed",
                status=400,
            ) from error
        raise translate(error) from error


def convo_url(convo_id: str) -> str:
    return f"{WEB}/messages/{convo_id}"


def _from_message(
    message: models.ChatBskyConvoDefs.MessageView,
    convo: models.ChatBskyConvoDefs.ConvoView,
    profiles: Mapping[str, Profile],
    me: str,
) -> RemotePost:
    sender = message.sender.did
    return RemotePost(
        network=NETWORK,
        kind=KIND,
        remote_id=message.id,
        author=_author(sender, profiles.get(sender)),
        text=message.text,
        url=convo_url(convo.id),
        created_at=parse_datetime(message.sent_at),
        conversation_id=convo.id,
        raw=_raw(message, convo, from_me=sender == me),
    )


def _author(did: str, profile: Profile | None) -> Author:
    if profile is None:
        # A member who left a group conversation is no longer listed with it.
        return Author(remote_id=did, handle="")
    return Author(
        remote_id=did,
        handle=profile.handle if profile.handle != INVALID_HANDLE else "",
        display_name=profile.display_name or "",
        avatar_url=profile.avatar or "",
    )


def _raw(
    message: models.ChatBskyConvoDefs.MessageView,
    convo: models.ChatBskyConvoDefs.ConvoView,
    *,
    from_me: bool,
) -> dict[str, Any]:
    raw: dict[str, Any] = {
        "convo_id": convo.id,
        "message_id": message.id,
        "rev": message.rev,
        "sender_did": message.sender.did,
        "sent_at": message.sent_at,
        "from_me": from_me,
        "members": [member.did for member in convo.members],
        "convo_status": convo.status or "",
        "muted": bool(convo.muted),
    }
    embed = message.embed
    if isinstance(embed, models.AppBskyEmbedRecord.View):
        # A shared post: the inbox can link it (the view's record is its at:// URI).
        uri = getattr(embed.record, "uri", "")
        if uri:
            raw["embed_uri"] = str(uri)
    if message.reply_to is not None:
        replied = getattr(message.reply_to, "id", "")
        if replied:
            raw["reply_to"] = str(replied)
    return raw
