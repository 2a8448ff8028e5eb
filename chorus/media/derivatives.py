"""Copies of an image made to fit one network's limits.

When an image is too heavy, too large or of a type a network refuses, a copy is made:
turned upright from its EXIF orientation, scaled down keeping its shape, re-encoded as JPEG
(or the network's own format) at falling quality until it fits, and stored with no
metadata, so GPS and camera details never leave with it. Copies are kept per asset,
network and, where servers of one network set their own limits (Mastodon instances), the
limits fitted to (MediaDerivative.fitted_to), and made once.

Videos and animated GIFs are not transcoded: when they break a network's rules the error
says so and the person exports a fitting file.
"""

from __future__ import annotations

import hashlib
import io
import json
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django_tasks import task
from PIL import Image, ImageOps

from chorus.media.models import MediaAsset, MediaDerivative, MediaKind
from chorus.media.services import descriptor
from chorus.media.storage import copy_name
from chorus.publishing.rules.media import FIXABLE_BY_REENCODING, check_item, rules_for
from chorus.publishing.rules.media_limits import KindRules, MastodonInstance
from chorus.publishing.rules.networks import Network
from chorus.publishing.rules.results import RuleError

QUALITIES = (90, 85, 80, 75, 70, 60, 50)
# Each round that still does not fit shrinks the picture by this much.
SHRINK = 0.8
MIN_SIDE = 64
_OUTPUTS = (("image/jpeg", "JPEG", ".jpg"), ("image/png", "PNG", ".png"))


class MediaNotPublishable(ValidationError):
    """The asset breaks `network`'s rules and no copy of it can fix that."""

    def __init__(self, errors: tuple[RuleError, ...]) -> None:
        super().__init__({"media": [ValidationError(e.message, code=e.code) for e in errors]})
        self.rule_errors = errors


def derivative_for(
    asset: MediaAsset, network: str, *, mastodon: MastodonInstance | None = None
) -> MediaAsset | MediaDerivative:
    """What to publish on `network`: the asset itself when it fits, else a fitting copy."""
    errors = check_item(network, descriptor(asset), mastodon=mastodon)
    if not errors:
        return asset
    rules = rules_for(network, mastodon=mastodon)
    limits = rules.kinds.get(MediaKind.IMAGE) if rules else None
    fixable = all(e.code in FIXABLE_BY_REENCODING for e in errors)
    if asset.kind != MediaKind.IMAGE or limits is None or not fixable:
        raise MediaNotPublishable(errors)
    key = limits_key(limits) if network == Network.MASTODON else ""
    cached = MediaDerivative.objects.filter(asset=asset, network=network, fitted_to=key).first()
    if cached is not None:
        return cached
    fitted = _fit(asset, limits)
    if fitted is None:
        raise MediaNotPublishable(errors)
    return _store(asset, network, key, *fitted)


def limits_key(limits: KindRules) -> str:
    """A short name for the image limits a copy is made to fit: two Mastodon instances
    with the same limits share copies, one with smaller limits gets its own."""
    described = {
        "mime_types": sorted(limits.mime_types),
        "max_bytes": limits.max_bytes,
        "max_width": limits.max_width,
        "max_height": limits.max_height,
        "max_pixels": limits.max_pixels,
    }
    encoded = json.dumps(described, sort_keys=True).encode()
    return hashlib.sha256(encoded).hexdigest()[:16]


def _store(
    asset: MediaAsset, network: str, key: str, mime: str, data: bytes, width: int, height: int
) -> MediaDerivative:
    extension = next(ext for m, _f, ext in _OUTPUTS if m == mime)
    name = default_storage.save(
        copy_name(asset.workspace_id, "derivatives", extension), ContentFile(data)
    )
    try:
        with transaction.atomic():
            return MediaDerivative.objects.create(
                asset=asset,
                network=network,
                fitted_to=key,
                file=name,
                mime_type=mime,
                size_bytes=len(data),
                width=width,
                height=height,
            )
    except IntegrityError:
        # Another worker made the same copy first.
        default_storage.delete(name)
        return MediaDerivative.objects.get(asset=asset, network=network, fitted_to=key)
    except BaseException:
        default_storage.delete(name)
        raise


def _fit(asset: MediaAsset, limits: KindRules) -> tuple[str, bytes, int, int] | None:
    mime, pillow_format, _ext = next(
        (o for o in _OUTPUTS if o[0] in limits.mime_types), _OUTPUTS[0]
    )
    with asset.file.open("rb") as handle, Image.open(handle) as source:
        image = ImageOps.exif_transpose(source)
        image.load()
    image = _flatten(image) if pillow_format == "JPEG" else image
    image = _within(image, limits)
    while True:
        for quality in QUALITIES if pillow_format == "JPEG" else (None,):
            data = _encode(image, pillow_format, quality)
            if len(data) <= limits.max_bytes:
                return mime, data, image.width, image.height
        if min(image.size) * SHRINK < MIN_SIDE:
            return None
        size = (int(image.width * SHRINK), int(image.height * SHRINK))
        image = image.resize(size, Image.Resampling.LANCZOS)


def _flatten(image: Image.Image) -> Image.Image:
    # JPEG has no transparency: lay the picture on white rather than black.
    if image.mode in ("RGBA", "LA") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, "white")
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


def _within(image: Image.Image, limits: KindRules) -> Image.Image:
    scale = 1.0
    if limits.max_width:
        scale = min(scale, limits.max_width / image.width)
    if limits.max_height:
        scale = min(scale, limits.max_height / image.height)
    if limits.max_pixels:
        scale = min(scale, (limits.max_pixels / (image.width * image.height)) ** 0.5)
    if scale >= 1:
        return image
    size = (max(1, int(image.width * scale)), max(1, int(image.height * scale)))
    return image.resize(size, Image.Resampling.LANCZOS)


def _encode(image: Image.Image, pillow_format: str, quality: int | None) -> bytes:
    out = io.BytesIO()
    options: dict[str, Any] = {"optimize": True}
    if quality is not None:
        options["quality"] = quality
    icc = image.info.get("icc_profile")
    if icc:
        # Colours stay right; the profile says nothing about the person.
        options["icc_profile"] = icc
    image.save(out, format=pillow_format, **options)
    return out.getvalue()


@task()
def make_derivatives(asset_id: int, networks: list[str]) -> dict[str, str]:
    """Prepare `asset_id` for each network ahead of publishing; returns per network
    "original", "derivative" or the reason it cannot be published."""
    asset = MediaAsset.objects.filter(pk=asset_id).select_related("workspace").first()
    if asset is None:
        return {}
    outcome: dict[str, str] = {}
    for network in networks:
        try:
            result = derivative_for(asset, network)
        except MediaNotPublishable as exc:
            outcome[network] = " ".join(e.message for e in exc.rule_errors)
            continue
        outcome[network] = "original" if isinstance(result, MediaAsset) else "derivative"
    return outcome
