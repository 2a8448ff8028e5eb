"""What a check returns: the count, the limit, and structured errors.

Errors carry data, not sentences: a code, the network, the field, the span of the
offending characters and the numbers. ``RuleError.message`` renders the sentence when it is
read, in the language active then, so a check run by a background worker can be shown to
each person in their own language.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from django.utils.translation import gettext_lazy as _

from chorus.publishing.rules.networks import Field, Network, Unit


class ErrorCode(StrEnum):
    TOO_LONG = "too_long"
    TOO_LONG_WITH_CONTENT_WARNING = "too_long_with_content_warning"
    TOO_MANY_BYTES = "too_many_bytes"
    TOO_MANY_HASHTAGS = "too_many_hashtags"
    INVALID_CHARACTER = "invalid_character"
    UNSPLITTABLE = "unsplittable"
    # Media (chorus.publishing.rules.media): start/end index the post's media list.
    TOO_MANY_MEDIA = "too_many_media"
    TOO_MANY_IMAGES = "too_many_images"
    TOO_MANY_VIDEOS = "too_many_videos"
    MEDIA_MIXED = "media_mixed"
    MEDIA_REQUIRED = "media_required"
    VIDEO_REQUIRED = "video_required"
    UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type"
    MEDIA_TOO_LARGE = "media_too_large"
    IMAGE_TOO_BIG = "image_too_big"
    VIDEO_TOO_LONG = "video_too_long"
    VIDEO_TOO_SHORT = "video_too_short"
    ASPECT_RATIO = "aspect_ratio"
    ALT_TEXT_TOO_LONG = "alt_text_too_long"


_MESSAGES = {
    ErrorCode.TOO_LONG: _(
        "The %(field)s is too long for %(network)s: %(count)s %(unit)s, at most %(limit)s."
    ),
    ErrorCode.TOO_LONG_WITH_CONTENT_WARNING: _(
        "The text and the content warning together are too long for %(network)s: "
        "%(count)s %(unit)s, at most %(limit)s."
    ),
    ErrorCode.TOO_MANY_BYTES: _(
        "The %(field)s is too large for %(network)s: %(count)s bytes, at most %(limit)s."
    ),
    ErrorCode.TOO_MANY_HASHTAGS: _(
        "The %(field)s has %(count)s hashtags; %(network)s allows at most %(limit)s."
    ),
    ErrorCode.INVALID_CHARACTER: _(
        "The %(field)s contains a character that %(network)s does not accept: %(character)s."
    ),
    ErrorCode.UNSPLITTABLE: _(
        "This passage cannot be split for %(network)s without breaking a link or a "
        "character: %(count)s %(unit)s, at most %(limit)s."
    ),
    ErrorCode.TOO_MANY_MEDIA: _(
        "Too many attachments for %(network)s: %(count)s, at most %(limit)s."
    ),
    ErrorCode.TOO_MANY_IMAGES: _("Too many images for %(network)s: %(count)s, at most %(limit)s."),
    ErrorCode.TOO_MANY_VIDEOS: _("Too many videos for %(network)s: %(count)s, at most %(limit)s."),
    ErrorCode.MEDIA_MIXED: _(
        "%(network)s does not take images together with videos or animated GIFs in one post."
    ),
    ErrorCode.MEDIA_REQUIRED: _("%(network)s needs at least one image or video."),
    ErrorCode.VIDEO_REQUIRED: _("%(network)s needs a video."),
    ErrorCode.UNSUPPORTED_MEDIA_TYPE: _(
        "Attachment %(position)s is of a type %(network)s does not take (%(mime_type)s)."
    ),
    ErrorCode.MEDIA_TOO_LARGE: _(
        "Attachment %(position)s is too large for %(network)s: %(size)s, at most %(max_size)s."
    ),
    ErrorCode.IMAGE_TOO_BIG: _(
        "Image %(position)s is %(width)s×%(height)s pixels; %(network)s takes at most "
        "%(max_width)s×%(max_height)s."
    ),
    ErrorCode.VIDEO_TOO_LONG: _(
        "Video %(position)s is too long for %(network)s: %(duration)s s, at most %(limit)s s."
    ),
    ErrorCode.VIDEO_TOO_SHORT: _(
        "Video %(position)s is too short for %(network)s: %(duration)s s, at least %(limit)s s."
    ),
    ErrorCode.ASPECT_RATIO: _(
        "Attachment %(position)s has an aspect ratio of %(ratio)s; %(network)s takes from "
        "%(min_ratio)s (tallest) to %(max_ratio)s (widest)."
    ),
    ErrorCode.ALT_TEXT_TOO_LONG: _(
        "The alt text of attachment %(position)s is too long for %(network)s: %(count)s "
        "characters, at most %(limit)s."
    ),
}


@dataclass(frozen=True)
class RuleError:
    """One broken rule. ``start``/``end`` are code-point offsets into the field's text."""

    code: ErrorCode
    network: Network
    field: Field
    start: int
    end: int
    unit: Unit
    params: Mapping[str, int | str] = dataclasses.field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "params", MappingProxyType(dict(self.params)))

    @property
    def message(self) -> str:
        values: dict[str, object] = {
            "network": self.network.label,
            "field": str(self.field.label),
            "unit": str(self.unit.label),
            **self.params,
        }
        return str(_MESSAGES[self.code]) % values


@dataclass(frozen=True)
class CheckResult:
    """The count of one field on one network against that network's limit."""

    network: Network
    field: Field
    count: int
    limit: int
    unit: Unit
    errors: tuple[RuleError, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def remaining(self) -> int:
        return self.limit - self.count
