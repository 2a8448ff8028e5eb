"""The embed of a post record: images, a video, a link card, a quoted post, or a quote
with media (``app.bsky.embed.*``). Files go up as blobs first (com.atproto.repo.uploadBlob);
the record then points at them, and the PDS checks each blob against the lexicon (type,
size) when the record is written.

Video goes to the PDS as a blob like an image. The Bluesky app instead sends video to
the video service (video.bsky.app: app.bsky.video.uploadVideo with a service-auth token
for the PDS, then getJobStatus until it is transcoded), which also enforces a daily video
quota; that service is not part of a self-hosted network, while a blob on the PDS is.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Sequence
from typing import Any

from atproto import Client
from atproto_client.models.utils import get_model_as_dict
from django.utils.translation import gettext as _
from PIL import Image

from chorus.connectors.bluesky.errors import mapped
from chorus.connectors.bluesky.linkcard import read_card, thumbnail
from chorus.connectors.bluesky.references import post_reference
from chorus.connectors.contract import Media
from chorus.connectors.errors import ConnectorError, Permanent

MAX_IMAGES = 4


def upload(client: Client, data: bytes, mime_type: str, name: str) -> dict[str, Any]:
    """A blob reference for `data`; a refusal names the file and gives the PDS's reason."""
    try:
        # Blobs are stored by their content's hash and unused ones are dropped: sending
        # the same bytes again is harmless, so a lost answer is only worth a retry.
        with mapped(write=False):
            answer = client.com.atproto.repo.upload_blob(
                data, headers={"Content-Type": mime_type or "application/octet-stream"}
            )
    except Permanent as error:
        raise Permanent(f"{name}: {error.message}", code=error.code, status=error.status) from error
    return dict(get_model_as_dict(answer.blob))


def aspect_ratio(media: Media, data: bytes) -> dict[str, int] | None:
    width, height = media.width, media.height
    if not (width and height) and media.mime_type.startswith("image/"):
        try:
            with Image.open(io.BytesIO(data)) as image:
                width, height = image.size
        except (OSError, ValueError):
            return None
    if not (width and height):
        return None
    return {"width": int(width), "height": int(height)}


def _read(media: Media) -> bytes:
    with media.open() as file:
        return file.read()


def media_embed(client: Client, media: Sequence[Media]) -> dict[str, Any] | None:
    """Images (up to four) or one video, uploaded."""
    if not media:
        return None
    videos = [m for m in media if m.mime_type.startswith("video/")]
    if videos:
        if len(media) > 1:
            raise Permanent(
                _("A Bluesky post holds one video and nothing else beside it."),
                code="media_rejected",
            )
        video = videos[0]
        data = _read(video)
        embed: dict[str, Any] = {
            "$type": "app.bsky.embed.video",
            "video": upload(client, data, video.mime_type, video.name or "video"),
        }
        if video.alt_text:
            embed["alt"] = video.alt_text
        ratio = aspect_ratio(video, data)
        if ratio:
            embed["aspectRatio"] = ratio
        return embed
    if len(media) > MAX_IMAGES:
        raise Permanent(
            _("A Bluesky post holds at most %(count)s images.") % {"count": MAX_IMAGES},
            code="media_rejected",
        )
    images = []
    for item in media:
        data = _read(item)
        image: dict[str, Any] = {
            "image": upload(client, data, item.mime_type, item.name or "image"),
            "alt": item.alt_text or "",
        }
        ratio = aspect_ratio(item, data)
        if ratio:
            image["aspectRatio"] = ratio
        images.append(image)
    return {"$type": "app.bsky.embed.images", "images": images}


def link_embed(client: Client, url: str) -> dict[str, Any]:
    card = read_card(url)
    external: dict[str, Any] = {
        "uri": card.uri,
        "title": card.title,
        "description": card.description,
    }
    thumb = thumbnail(card.image_url)
    if thumb is not None:
        # The card is worth having without its picture.
        with contextlib.suppress(Permanent):
            external["thumb"] = upload(client, thumb.data, thumb.mime_type, card.image_url)
    return {"$type": "app.bsky.embed.external", "external": external}


def quote_ref(client: Client, target: str) -> dict[str, str]:
    """The strong reference (URI and CID) of the post `target` names: an at:// URI or a
    bsky.app post address."""
    target = (target or "").strip()
    match = post_reference(target)
    if not match:
        raise Permanent(
            _(
                "“%(target)s” is not a Bluesky post to quote: give its bsky.app address or "
                "its at:// URI."
            )
            % {"target": target[:200]},
            code="invalid_quote",
        )
    actor, rkey = match["actor"], match["rkey"]
    try:
        with mapped():
            if not actor.startswith("did:"):
                actor = client.resolve_handle(actor).did
            record = client.com.atproto.repo.get_record(
                {"repo": actor, "collection": "app.bsky.feed.post", "rkey": rkey}
            )
    except ConnectorError as error:
        if isinstance(error, Permanent):
            raise Permanent(
                _("The post to quote (%(target)s) cannot be found: %(reason)s")
                % {"target": target[:200], "reason": error.message},
                code="invalid_quote",
            ) from error
        raise
    return {"uri": record.uri, "cid": record.cid or ""}


def combine(media: dict[str, Any] | None, quote: dict[str, str] | None) -> dict[str, Any] | None:
    if quote is None:
        return media
    record = {"$type": "app.bsky.embed.record", "record": quote}
    if media is None:
        return record
    return {"$type": "app.bsky.embed.recordWithMedia", "record": record, "media": media}
