"""Each network's media rules, as pure data and pure functions.

``check_media(network, items)`` checks a post's attachments (how many, of which kinds,
mixed or not, required or not) and each attachment (type, bytes, pixels, duration, aspect
ratio, alt text). Attachments are described by ``MediaItem``, a plain value, so this module
needs neither the database nor the files.

Errors are ``RuleError`` on ``Field.MEDIA``. Their ``start``/``end`` index the post's list
of attachments, not characters: ``start=2, end=3`` is the third attachment;
``start=4, end=6`` the fifth and sixth (past a count limit). ``params["position"]`` holds
the 1-based position shown to people. A network with no rules here (the webhook, or any
connector Chorus does not know) accepts everything.

The numbers, with their sources, live in chorus.publishing.rules.media_limits.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum

from chorus.publishing.rules.measure import grapheme_count
from chorus.publishing.rules.media_limits import (
    BLUESKY_VIDEO_ALT_MAX,
    RULES,
    KindRules,
    MastodonInstance,
    NetworkMediaRules,
    mastodon_rules,
)
from chorus.publishing.rules.networks import Field, Network, Unit
from chorus.publishing.rules.results import ErrorCode, RuleError


class MediaKind(StrEnum):
    IMAGE = "image"
    GIF = "gif"  # any animated image
    VIDEO = "video"


@dataclass(frozen=True)
class MediaItem:
    kind: str
    mime_type: str
    size_bytes: int
    width: int | None = None  # as displayed (rotation applied)
    height: int | None = None
    duration_seconds: float | None = None
    alt_text: str = ""


@dataclass(frozen=True)
class MediaCheckResult:
    network: str
    count: int
    limit: int | None
    errors: tuple[RuleError, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.errors


# Errors that re-encoding a still image (resize, JPEG) can clear; see chorus.media.derivatives.
FIXABLE_BY_REENCODING = frozenset(
    {ErrorCode.MEDIA_TOO_LARGE, ErrorCode.IMAGE_TOO_BIG, ErrorCode.UNSUPPORTED_MEDIA_TYPE}
)
# 1080x1350 is 4:5 exactly; a rounding in someone's resize must not refuse it.
_RATIO_TOLERANCE = 0.01


def rules_for(
    network: str, *, mastodon: MastodonInstance | None = None
) -> NetworkMediaRules | None:
    """The media rules of `network`, or None when it has none (webhooks)."""
    if network == Network.MASTODON:
        return mastodon_rules(mastodon)
    try:
        return RULES.get(Network(network))
    except ValueError:
        return None


def check_media(
    network: str, items: Sequence[MediaItem], *, mastodon: MastodonInstance | None = None
) -> MediaCheckResult:
    """Check a post's attachments, in order, against `network`'s rules."""
    rules = rules_for(network, mastodon=mastodon)
    if rules is None:
        return MediaCheckResult(str(network), len(items), None)
    net = Network(network)
    errors = list(_post_errors(net, rules, items))
    for index, item in enumerate(items):
        errors.extend(_item_errors(net, rules, item, index))
    return MediaCheckResult(str(network), len(items), rules.max_items, tuple(errors))


def check_item(
    network: str, item: MediaItem, *, mastodon: MastodonInstance | None = None
) -> tuple[RuleError, ...]:
    """The rules one attachment breaks on `network`, whatever else the post holds."""
    rules = rules_for(network, mastodon=mastodon)
    if rules is None:
        return ()
    return tuple(_item_errors(Network(network), rules, item, 0))


def _error(
    code: ErrorCode,
    network: Network,
    start: int,
    end: int,
    unit: Unit = Unit.GRAPHEMES,
    **params: int | str,
) -> RuleError:
    return RuleError(code, network, Field.MEDIA, start, end, unit, params)


def _post_errors(
    network: Network, rules: NetworkMediaRules, items: Sequence[MediaItem]
) -> Iterator[RuleError]:
    allowed = [item for item in items if item.kind in rules.kinds]
    moving = {MediaKind.VIDEO} | ({MediaKind.GIF} if rules.gif_counts_as == "video" else set())
    videos = sum(1 for item in allowed if item.kind in moving)
    images = len(allowed) - videos
    total = len(items)
    if total > rules.max_items:
        yield _error(
            ErrorCode.TOO_MANY_MEDIA,
            network,
            rules.max_items,
            total,
            count=total,
            limit=rules.max_items,
        )
    if 0 < rules.max_images < images:
        yield _error(
            ErrorCode.TOO_MANY_IMAGES, network, 0, total, count=images, limit=rules.max_images
        )
    if 0 < rules.max_videos < videos:
        yield _error(
            ErrorCode.TOO_MANY_VIDEOS, network, 0, total, count=videos, limit=rules.max_videos
        )
    if not rules.mixing and images and videos:
        yield _error(ErrorCode.MEDIA_MIXED, network, 0, total)
    if rules.required == "any" and not items:
        yield _error(ErrorCode.MEDIA_REQUIRED, network, 0, 0)
    if rules.required == "video" and not any(i.kind == MediaKind.VIDEO for i in items):
        yield _error(ErrorCode.VIDEO_REQUIRED, network, 0, total)


def _item_errors(
    network: Network, rules: NetworkMediaRules, item: MediaItem, index: int
) -> Iterator[RuleError]:
    span = (index, index + 1)
    position = index + 1
    limits = rules.kinds.get(item.kind)
    if limits is None or item.mime_type not in limits.mime_types:
        yield _error(
            ErrorCode.UNSUPPORTED_MEDIA_TYPE,
            network,
            *span,
            position=position,
            mime_type=item.mime_type,
        )
        if limits is None:
            return
    if item.size_bytes > limits.max_bytes:
        yield _error(
            ErrorCode.MEDIA_TOO_LARGE,
            network,
            *span,
            Unit.UTF8_BYTES,
            position=position,
            count=item.size_bytes,
            limit=limits.max_bytes,
            size=human_size(item.size_bytes),
            max_size=human_size(limits.max_bytes),
        )
    if item.width and item.height:
        yield from _picture_errors(network, limits, item, span)
    yield from _duration_errors(network, limits, item, span)
    alt_max = rules.alt_text_max
    if network is Network.BLUESKY and item.kind == MediaKind.VIDEO:
        alt_max = BLUESKY_VIDEO_ALT_MAX
    count = grapheme_count(item.alt_text)
    if alt_max is not None and count > alt_max:
        yield _error(
            ErrorCode.ALT_TEXT_TOO_LONG,
            network,
            *span,
            position=position,
            count=count,
            limit=alt_max,
        )


def _picture_errors(
    network: Network, limits: KindRules, item: MediaItem, span: tuple[int, int]
) -> Iterator[RuleError]:
    width, height = item.width or 0, item.height or 0
    max_width = limits.max_width or width
    max_height = limits.max_height or height
    too_wide = width > max_width or height > max_height
    too_many = limits.max_pixels is not None and width * height > limits.max_pixels
    if too_wide or too_many:
        if too_many and limits.max_pixels is not None:
            # Only a pixel budget: name the largest size of the same shape that fits.
            scale = (limits.max_pixels / (width * height)) ** 0.5
            max_width, max_height = int(width * scale), int(height * scale)
        yield _error(
            ErrorCode.IMAGE_TOO_BIG,
            network,
            *span,
            position=span[1],
            width=width,
            height=height,
            max_width=max_width,
            max_height=max_height,
        )
    ratio = width / height
    low, high = limits.min_ratio, limits.max_ratio
    if (low and ratio < low.value * (1 - _RATIO_TOLERANCE)) or (
        high and ratio > high.value * (1 + _RATIO_TOLERANCE)
    ):
        yield _error(
            ErrorCode.ASPECT_RATIO,
            network,
            *span,
            position=span[1],
            ratio=f"{ratio:.2f}:1",
            min_ratio=low.label if low else "-",
            max_ratio=high.label if high else "-",
        )


def _duration_errors(
    network: Network, limits: KindRules, item: MediaItem, span: tuple[int, int]
) -> Iterator[RuleError]:
    seconds = item.duration_seconds
    if seconds is None:
        return
    if limits.max_seconds is not None and seconds > limits.max_seconds:
        yield _error(
            ErrorCode.VIDEO_TOO_LONG,
            network,
            *span,
            position=span[1],
            duration=f"{seconds:g}",
            limit=f"{limits.max_seconds:g}",
        )
    if limits.min_seconds is not None and seconds < limits.min_seconds:
        yield _error(
            ErrorCode.VIDEO_TOO_SHORT,
            network,
            *span,
            position=span[1],
            duration=f"{seconds:g}",
            limit=f"{limits.min_seconds:g}",
        )


def human_size(size: int) -> str:
    """Bytes in the decimal units networks state their limits in (5 MB = 5,000,000)."""
    for unit, scale in (("GB", 10**9), ("MB", 10**6), ("KB", 10**3)):
        if size >= scale:
            return f"{size / scale:.1f} {unit}".replace(".0 ", " ")
    return f"{size} B"
