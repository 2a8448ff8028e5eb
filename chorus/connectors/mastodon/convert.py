"""Mastodon entities (as Mastodon.py returns them) in the contract's shapes."""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from django.utils.html import strip_tags

from chorus.connectors.contract import Author, RemotePost
from chorus.connectors.mastodon.client import plain

NETWORK = "mastodon"

_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
_PARAGRAPH = re.compile(r"</p>\s*<p[^>]*>", re.IGNORECASE)


def text_of(content: str) -> str:
    """A status' HTML content as the plain text its author typed (near enough)."""
    content = _PARAGRAPH.sub("\n\n", content or "")
    content = _BREAK.sub("\n", content)
    return html.unescape(strip_tags(content)).strip()


def host_of(instance_url: str) -> str:
    return urlsplit(instance_url).netloc


def author(account: Mapping[str, Any], host: str) -> Author:
    acct = str(account.get("acct") or account.get("username") or "")
    handle = acct if "@" in acct else f"{acct}@{host}"
    return Author(
        remote_id=f"{account.get('id')}@{host}",
        handle=f"@{handle}",
        display_name=str(account.get("display_name") or ""),
        avatar_url=str(account.get("avatar") or ""),
    )


def remote_post(status: Mapping[str, Any], host: str, *, kind: str = "") -> RemotePost:
    reply_to = status.get("in_reply_to_id")
    language = status.get("language")
    return RemotePost(
        network=NETWORK,
        kind=kind or ("reply" if reply_to else "post"),
        remote_id=str(status["id"]),
        author=author(status.get("account") or {}, host),
        text=_with_warning(status),
        url=str(status.get("url") or status.get("uri") or ""),
        created_at=_when(status.get("created_at")),
        in_reply_to=str(reply_to or ""),
        conversation_id="",
        languages=(str(language),) if language else (),
        raw=plain(status),
    )


def _with_warning(status: Mapping[str, Any]) -> str:
    text = text_of(str(status.get("content") or ""))
    warning = str(status.get("spoiler_text") or "")
    return f"{warning}\n\n{text}" if warning else text


def created_at(status: Mapping[str, Any]) -> datetime | None:
    return _when(status.get("created_at"))


def _when(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value
    if isinstance(value, str) and value:
        try:
            return datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
    return None


# Notification types (https://docs.joinmastodon.org/entities/Notification/#type) as the
# contract's kinds.
NOTIFICATION_KINDS = {
    "mention": "mention",
    "quote": "quote",
    "favourite": "like",
    "reblog": "repost",
    "follow": "follow",
}


def notification(item: Mapping[str, Any], host: str) -> RemotePost | None:
    kind = NOTIFICATION_KINDS.get(str(item.get("type")))
    if kind is None:
        return None
    status = item.get("status")
    who = author(item.get("account") or {}, host)
    if kind in ("mention", "quote") and status:
        post = remote_post(status, host)
        if kind == "mention" and post.in_reply_to:
            kind = "reply"
        return RemotePost(
            network=NETWORK,
            kind=kind,
            remote_id=post.remote_id,
            author=post.author,
            text=post.text,
            url=post.url,
            created_at=post.created_at,
            in_reply_to=post.in_reply_to,
            languages=post.languages,
            raw=plain(item),
        )
    # Likes, boosts and follows are not posts: the notification is their only identity.
    return RemotePost(
        network=NETWORK,
        kind=kind,
        remote_id=f"notification:{item['id']}",
        author=who,
        url=str((status or {}).get("url") or ""),
        created_at=_when(item.get("created_at")),
        in_reply_to=str((status or {}).get("id") or ""),
        raw=plain(item),
    )


def conversation(item: Mapping[str, Any], host: str) -> RemotePost | None:
    status = item.get("last_status")
    if not status:
        return None
    post = remote_post(status, host)
    return RemotePost(
        network=NETWORK,
        kind="direct_message",
        remote_id=post.remote_id,
        author=post.author,
        text=post.text,
        url=post.url,
        created_at=post.created_at,
        in_reply_to=post.in_reply_to,
        conversation_id=str(item["id"]),
        languages=post.languages,
        raw=plain(item),
    )


def next_max_id(page: Any) -> str:
    """The max_id of the next (older) page, from the Link header Mastodon.py parsed."""
    following = getattr(page, "_pagination_next", None)
    if isinstance(following, dict) and following.get("max_id") not in (None, ""):
        return str(following["max_id"])
    return ""


def id_key(value: str) -> tuple[int, str]:
    """Orders status ids: Mastodon's are numbers in strings, which sort by length first."""
    return (len(value), value)
