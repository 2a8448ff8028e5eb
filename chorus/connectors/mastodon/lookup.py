"""Finding a part of a delivery among the account's own recent statuses, to settle an
attempt that got no answer.

Mastodon keeps an Idempotency-Key for an hour only, so after that a resend would post
again; reading the account's statuses (GET /api/v1/accounts/:id/statuses) tells whether
the part is there whatever its age. A part matches by its text (as rendered; mention
domains and whitespace aside), its media count, and the status it answers: part 0 answers
none, part n answers the match for part n-1.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from mastodon import Mastodon

from chorus.connectors.contract import Outgoing
from chorus.connectors.errors import NotSupported
from chorus.connectors.mastodon import convert
from chorus.connectors.mastodon.errors import mapped
from chorus.connectors.mastodon.text import part_text

PAGE_SIZE = 40
# An account that posted more than this many statuses since the delivery's first attempt
# is not searched further; the engine then falls back on the idempotency key.
MAX_PAGES = 5
# The instance's clock and ours may disagree; statuses a little older than the first
# attempt are read too.
CLOCK_SKEW = timedelta(minutes=10)

_SPACE = re.compile(r"\s+")
# Mastodon renders a mention of "@user@domain" as "@user".
_MENTION = re.compile(r"(?<![\w@])@([\w.-]+)@[\w.-]+\w")


def find_part(
    client: Mastodon, own_id: str, outgoing: Outgoing, index: int
) -> Mapping[str, Any] | None:
    """The status that is part `index` of `outgoing`, None when it is certainly not on
    the account, NotSupported when the account posted too much since to tell."""
    statuses = _recent(client, own_id, _since(outgoing))
    # Oldest first: a resend that the idempotency key caught made no second status, but
    # if one exists anyway the first is the one the thread continues from.
    statuses.sort(key=lambda s: convert.id_key(str(s["id"])))
    parent = ""
    match: Mapping[str, Any] | None = None
    for position in range(index + 1):
        wanted = _normal(part_text(outgoing, position))
        media = len(outgoing.parts[position].media)
        match = next(
            (
                s
                for s in statuses
                if str(s.get("in_reply_to_id") or "") == parent
                and len(s.get("media_attachments") or ()) == media
                and _normal(convert.text_of(str(s.get("content") or ""))) == wanted
            ),
            None,
        )
        if match is None:
            return None
        parent = str(match["id"])
    return match


def _since(outgoing: Outgoing) -> datetime | None:
    start = outgoing.first_attempt_at
    if start is None and outgoing.scheduled_for:
        try:
            start = datetime.fromisoformat(outgoing.scheduled_for)
        except ValueError:
            start = None
    return start - CLOCK_SKEW if start is not None else None


def _recent(client: Mastodon, own_id: str, since: datetime | None) -> list[Mapping[str, Any]]:
    """The account's statuses created since `since`, a few pages at most."""
    found: list[Mapping[str, Any]] = []
    max_id: str | None = None
    for _page in range(MAX_PAGES):
        with mapped(client):
            page: Sequence[Mapping[str, Any]] = client.account_statuses(
                own_id, exclude_reblogs=True, max_id=max_id, limit=PAGE_SIZE
            )
        if not page:
            return found
        for status in page:
            created = convert.created_at(status)
            if since is not None and created is not None and created < since:
                return found  # listed newest first: the rest are older still
            found.append(status)
        if len(page) < PAGE_SIZE:
            return found  # the account's first status
        max_id = min((str(s["id"]) for s in page), key=convert.id_key)
    raise NotSupported(
        f"The account posted more than {MAX_PAGES * PAGE_SIZE} statuses since this delivery "
        "was first tried; it cannot be looked up."
    )


def _normal(text: str) -> str:
    return _SPACE.sub("", _MENTION.sub(r"@\1", text))
