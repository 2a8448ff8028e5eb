"""Building what the engine hands the Bluesky connector, and reading records back."""

from __future__ import annotations

import io
import uuid
from collections.abc import Sequence
from typing import Any

import httpx
from atproto import Session
from atproto_core.uri import AtUri
from django.utils import timezone

from chorus.connectors.bluesky.tests import network
from chorus.connectors.contract import Media, Outgoing, Part
from chorus.orgs.models import SocialAccount


def outgoing(*texts: str, media: Sequence[Media] = (), **fields: Any) -> Outgoing:
    parts = [Part(text=texts[0], media=tuple(media))] + [Part(text=t) for t in texts[1:]]
    values: dict[str, Any] = {
        "delivery_id": 1,
        "post_id": 1,
        "idempotency_key": uuid.uuid4().hex,
        "parts": parts,
        "scheduled_for": timezone.now().isoformat(),
        "created_at": timezone.now().isoformat(),
    }
    values.update(fields)
    return Outgoing(**values)


def media(data: bytes, mime_type: str, alt: str = "", **fields: Any) -> Media:
    return Media(
        mime_type=mime_type,
        alt_text=alt,
        size_bytes=len(data),
        open=lambda: io.BytesIO(data),
        **fields,
    )


def record(uri: str, collection: str = "") -> dict[str, Any]:
    """The record as the PDS holds it (JSON names: byteStart, $type…)."""
    parsed = AtUri.from_str(uri)
    answer = _get_record(parsed, collection)
    answer.raise_for_status()
    return dict(answer.json())


def exists(uri: str, collection: str = "") -> bool:
    answer = _get_record(AtUri.from_str(uri), collection)
    if answer.status_code == 400 and answer.json().get("error") == "RecordNotFound":
        return False
    answer.raise_for_status()
    return True


def _get_record(parsed: AtUri, collection: str) -> httpx.Response:
    params = {
        "repo": parsed.hostname,
        "collection": collection or parsed.collection,
        "rkey": parsed.rkey,
    }
    return httpx.get(f"{network.PDS}/xrpc/com.atproto.repo.getRecord", params=params, timeout=30)


def pointed_at(account: SocialAccount, url: str) -> SocialAccount:
    """The account with its stored session sent to `url` instead of its PDS (unsaved)."""
    session = Session.decode(account.credentials["session"])
    session.pds_endpoint = url
    account.credentials = {**account.credentials, "session": session.export()}
    return account
