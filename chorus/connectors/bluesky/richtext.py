"""A post's facets as the record carries them: what chorus.publishing.rules.bluesky_facets
finds (the same detector the composer's checks use, so what is checked is what is sent),
with each mentioned handle resolved to its DID. A handle that does not resolve stays plain
text, as in the official app: a mention must point at a DID, and there is none."""

from __future__ import annotations

from typing import Any

from atproto import Client
from atproto_client.exceptions import BadRequestError

from chorus.connectors.bluesky.errors import mapped
from chorus.publishing.rules.bluesky_facets import FacetKind, detect_facets


def facets_for(client: Client, text: str) -> list[dict[str, Any]]:
    """``app.bsky.richtext.facet`` objects for `text`, in order of their byte offsets."""
    dids: dict[str, str | None] = {}
    facets = []
    for facet in detect_facets(text):
        if facet.kind is FacetKind.MENTION:
            handle = facet.value.lower()
            if handle not in dids:
                dids[handle] = _resolve(client, handle)
            did = dids[handle]
            if did is None:
                continue
            feature = {"$type": "app.bsky.richtext.facet#mention", "did": did}
        elif facet.kind is FacetKind.LINK:
            feature = {"$type": "app.bsky.richtext.facet#link", "uri": facet.value}
        else:
            feature = {"$type": "app.bsky.richtext.facet#tag", "tag": facet.value}
        facets.append(
            {
                "index": {"byteStart": facet.byte_start, "byteEnd": facet.byte_end},
                "features": [feature],
            }
        )
    return facets


def _resolve(client: Client, handle: str) -> str | None:
    with mapped():
        try:
            return client.resolve_handle(handle).did
        except BadRequestError:
            # HandleNotFound, or not a valid handle at all: not a mention then.
            return None
