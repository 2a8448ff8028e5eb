"""Each network's media limits, as data, with the source of every number.

Where a network's own documentation was not found, the figure is what publishing tools
document for it, and the comment says "secondary". Checked by chorus.publishing.rules.media.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from chorus.publishing.rules.networks import Network


@dataclass(frozen=True)
class Ratio:
    """An aspect ratio bound, width:height."""

    width: float
    height: float

    @property
    def value(self) -> float:
        return self.width / self.height

    @property
    def label(self) -> str:
        return f"{self.width:g}:{self.height:g}"


@dataclass(frozen=True)
class KindRules:
    mime_types: frozenset[str]
    max_bytes: int
    max_width: int | None = None
    max_height: int | None = None
    max_pixels: int | None = None
    min_ratio: Ratio | None = None  # tallest accepted
    max_ratio: Ratio | None = None  # widest accepted
    min_seconds: float | None = None
    max_seconds: float | None = None


@dataclass(frozen=True)
class NetworkMediaRules:
    max_items: int
    max_images: int
    max_videos: int
    kinds: Mapping[str, KindRules]  # kinds absent here are refused
    mixing: bool = False  # images together with videos/GIFs in one post
    gif_counts_as: Literal["image", "video"] = "video"
    required: Literal["", "any", "video"] = ""
    alt_text_max: int | None = None  # graphemes


MB = 1_000_000
JPEG, PNG, GIF, WEBP = "image/jpeg", "image/png", "image/gif", "image/webp"
MP4, MOV, WEBM = "video/mp4", "video/quicktime", "video/webm"


def _kinds(**kinds: KindRules) -> dict[str, KindRules]:
    return dict(kinds)


RULES: dict[Network, NetworkMediaRules] = {
    # https://docs.x.com/x-api/media/quickstart/best-practices: "up to 4 photos, 1 animated
    # GIF or 1 video in a Post"; images JPG/PNG/GIF/WEBP <= 5 MB, animated GIF <= 15 MB and
    # <= 1280x1080; Post video 0.5 s to 20 min (default accounts), aspect 1:3 to 3:1.
    # Video bytes: 512 MB, https://docs.x.com/x-api/media ("Size restrictions").
    # Alt text 1,000 characters (X's current limit; the old v1.1 page said 420:
    # https://developer.x.com/en/docs/media/upload-media/api-reference/post-media-metadata-create).
    Network.X: NetworkMediaRules(
        max_items=4,
        max_images=4,
        max_videos=1,
        kinds=_kinds(
            image=KindRules(frozenset({JPEG, PNG, GIF, WEBP}), 5 * MB),
            gif=KindRules(frozenset({GIF}), 15 * MB, max_width=1280, max_height=1080),
            video=KindRules(
                frozenset({MP4, MOV}),
                512 * MB,
                min_ratio=Ratio(1, 3),
                max_ratio=Ratio(3, 1),
                min_seconds=0.5,
                max_seconds=20 * 60,
            ),
        ),
        alt_text_max=1000,
    ),
    # app.bsky.embed.images: maxLength 4, image maxSize 1,000,000 bytes, 2000x2000
    # (https://github.com/bluesky-social/atproto/blob/main/lexicons/app/bsky/embed/images.json).
    # One video per post, MP4, up to 3 minutes and 100 MB since March 2025
    # (https://bsky.app/profile/bsky.app/post/3lk26lxn6sk2u; lexicon app.bsky.embed.video).
    # Video aspect 1:3 to 3:1 (secondary: https://ayrshare.com/docs/media-guidelines/bluesky).
    # Alt text: images 2,000 graphemes (bluesky-social/social-app MAX_ALT_TEXT); video
    # alt maxGraphemes 1,000 (app.bsky.embed.video) - the image figure is used for both
    # kinds here, the video one is checked separately below.
    # An animated GIF is not an image embed there (it would show still): refused.
    Network.BLUESKY: NetworkMediaRules(
        max_items=4,
        max_images=4,
        max_videos=1,
        kinds=_kinds(
            image=KindRules(
                frozenset({JPEG, PNG, WEBP, GIF}), 1_000_000, max_width=2000, max_height=2000
            ),
            video=KindRules(
                frozenset({MP4}),
                100 * MB,
                min_ratio=Ratio(1, 3),
                max_ratio=Ratio(3, 1),
                max_seconds=180,
            ),
        ),
        alt_text_max=2000,
    ),
    # Threads carousels: "limited to 20 images, videos, or a mix of the two"
    # (https://developers.facebook.com/docs/threads/posts). Images JPEG/PNG, 8 MB, aspect up
    # to 10:1; video MOV/MP4, 1 GB, 5 minutes (Threads "Media specifications", mirrored at
    # https://ayrshare.com/docs/media-guidelines/threads). Alt text 1,000 characters
    # (secondary: https://repliz-docs.pages.dev/tutorial/spesification/threads).
    Network.THREADS: NetworkMediaRules(
        max_items=20,
        max_images=20,
        max_videos=20,
        mixing=True,
        kinds=_kinds(
            image=KindRules(
                frozenset({JPEG, PNG}), 8 * MB, min_ratio=Ratio(1, 10), max_ratio=Ratio(10, 1)
            ),
            video=KindRules(
                frozenset({MP4, MOV}),
                1000 * MB,
                min_ratio=Ratio(1, 100),
                max_ratio=Ratio(10, 1),
                max_seconds=300,
            ),
        ),
        alt_text_max=1000,
    ),
    # LinkedIn: images JPG/GIF/PNG under 36,152,320 pixels, 2-20 per MultiImage post; video
    # MP4, 3 s to 30 min, at most 500 MB, aspect 1:2.4 to 2.4:1 (LinkedIn Images/Videos API,
    # as summarised at https://ayrshare.com/docs/media-guidelines/linkedin - secondary).
    # 5 MB per image (secondary, same page). GIFs are posted as images.
    Network.LINKEDIN: NetworkMediaRules(
        max_items=20,
        max_images=20,
        max_videos=1,
        gif_counts_as="image",
        kinds=_kinds(
            image=KindRules(frozenset({JPEG, PNG, GIF}), 5 * MB, max_pixels=36_152_320),
            gif=KindRules(frozenset({GIF}), 5 * MB, max_pixels=36_152_320),
            video=KindRules(
                frozenset({MP4}),
                500 * MB,
                min_ratio=Ratio(1, 2.4),
                max_ratio=Ratio(2.4, 1),
                min_seconds=3,
                max_seconds=30 * 60,
            ),
        ),
    ),
    # IG User Media (https://developers.facebook.com/docs/instagram-api/reference/ig-user/media):
    # images JPEG only, 8 MB, aspect 4:5 to 1.91:1; carousels up to 10 items mixing images
    # and videos; Reels MOV/MP4, 3 s to 15 min, 300 MB (secondary for the Reels figures:
    # https://www.ayrshare.com/docs/media-guidelines/instagram.md). A post needs media.
    Network.INSTAGRAM: NetworkMediaRules(
        max_items=10,
        max_images=10,
        max_videos=10,
        mixing=True,
        required="any",
        kinds=_kinds(
            image=KindRules(
                frozenset({JPEG}), 8 * MB, min_ratio=Ratio(4, 5), max_ratio=Ratio(1.91, 1)
            ),
            video=KindRules(
                frozenset({MP4, MOV}),
                300 * MB,
                min_ratio=Ratio(1, 100),
                max_ratio=Ratio(10, 1),
                min_seconds=3,
                max_seconds=15 * 60,
            ),
        ),
    ),
    # Facebook Page photos: JPEG, BMP, PNG, GIF, TIFF, at most 10 MB
    # (https://developers.facebook.com/docs/page-stories-api, "Photo specifications").
    # Video up to 4 hours and 10 GB (secondary:
    # https://www.ayrshare.com/docs/es/media-guidelines/facebook_pages.md). Several photos or
    # one video per post.
    Network.FACEBOOK: NetworkMediaRules(
        max_items=10,
        max_images=10,
        max_videos=1,
        gif_counts_as="image",
        kinds=_kinds(
            image=KindRules(frozenset({JPEG, PNG, GIF}), 10 * MB),
            gif=KindRules(frozenset({GIF}), 10 * MB),
            video=KindRules(frozenset({MP4, MOV}), 10_000 * MB, max_seconds=4 * 3600),
        ),
    ),
    # TikTok Content Posting API: a video (MP4/MOV/WebM, 3 s to 10 min, up to 4 GB) or a
    # photo post of up to 35 JPEG/WebP images of 20 MB each, never both
    # (https://developers.tiktok.com/doc/content-posting-api-media-transfer-guide; figures
    # as summarised at https://docs.getlate.dev/resources/media-guidelines/tiktok - secondary).
    # The creator's own limit (creator_info max_video_post_duration_sec) can be lower.
    Network.TIKTOK: NetworkMediaRules(
        max_items=35,
        max_images=35,
        max_videos=1,
        required="any",
        kinds=_kinds(
            image=KindRules(frozenset({JPEG, WEBP}), 20 * MB),
            video=KindRules(frozenset({MP4, MOV, WEBM}), 4000 * MB, min_seconds=3, max_seconds=600),
        ),
    ),
    # YouTube videos.insert: one video, at most 256 GB, video/* accepted
    # (https://developers.google.com/youtube/v3/docs/videos/insert). Up to 12 hours for
    # verified channels (15 minutes otherwise; YouTube enforces that per channel).
    Network.YOUTUBE: NetworkMediaRules(
        max_items=1,
        max_images=0,
        max_videos=1,
        required="video",
        kinds=_kinds(
            video=KindRules(frozenset({MP4, MOV, WEBM}), 256_000 * MB, max_seconds=12 * 3600)
        ),
    ),
    # Pinterest: a Pin needs an image (BMP/JPEG/PNG/TIFF/GIF/WebP, 20 MB) or a video
    # (MP4/MOV/M4V, 2 GB, 4 s to 15 min, aspect 1:2 to 1.91:1); image carousels of up to 5;
    # alt text 500 characters (secondary: https://www.ayrshare.com/docs/media-guidelines/pinterest.md
    # and https://www.ayrshare.com/docs/apis/post/social-networks/pinterest.md).
    Network.PINTEREST: NetworkMediaRules(
        max_items=5,
        max_images=5,
        max_videos=1,
        gif_counts_as="image",
        required="any",
        kinds=_kinds(
            image=KindRules(frozenset({JPEG, PNG, GIF, WEBP}), 20 * MB),
            gif=KindRules(frozenset({GIF}), 20 * MB),
            video=KindRules(
                frozenset({MP4, MOV}),
                2000 * MB,
                min_ratio=Ratio(1, 2),
                max_ratio=Ratio(1.91, 1),
                min_seconds=4,
                max_seconds=15 * 60,
            ),
        ),
        alt_text_max=500,
    ),
}
# app.bsky.embed.video "alt": maxGraphemes 1000.
BLUESKY_VIDEO_ALT_MAX = 1000


@dataclass(frozen=True)
class MastodonInstance:
    """A Mastodon server's media limits, from ``configuration`` in GET /api/v2/instance.

    Defaults are Mastodon 4.2+'s: 4 attachments, images 16 MB and 33,177,600 pixels,
    videos 99 MB and 8,294,400 pixels (mastodon.social's answer, quoted in
    https://github.com/mastodon/mastodon/discussions/26709; https://docs.joinmastodon.org/user/posting/#media),
    descriptions 1,500 characters (MediaAttachment::MAX_DESCRIPTION_LENGTH).
    """

    max_media_attachments: int = 4
    image_size_limit: int = 16_777_216
    image_matrix_limit: int = 33_177_600
    video_size_limit: int = 103_809_024
    video_matrix_limit: int = 8_294_400
    description_limit: int = 1500
    supported_mime_types: frozenset[str] = field(
        default_factory=lambda: frozenset({JPEG, PNG, GIF, WEBP, MP4, MOV, WEBM})
    )

    @classmethod
    def from_configuration(cls, configuration: Mapping[str, Any]) -> MastodonInstance:
        """Read the instance's own figures, keeping defaults for any it leaves out."""
        statuses = configuration.get("statuses") or {}
        media = configuration.get("media_attachments") or {}
        found: dict[str, Any] = {}
        if isinstance(statuses.get("max_media_attachments"), int):
            found["max_media_attachments"] = statuses["max_media_attachments"]
        for name in (
            "image_size_limit",
            "image_matrix_limit",
            "video_size_limit",
            "video_matrix_limit",
            "description_limit",
        ):
            if isinstance(media.get(name), int):
                found[name] = media[name]
        if isinstance(media.get("supported_mime_types"), list):
            found["supported_mime_types"] = frozenset(map(str, media["supported_mime_types"]))
        return replace(cls(), **found)


def mastodon_rules(instance: MastodonInstance | None = None) -> NetworkMediaRules:
    # Mastodon turns an animated GIF into a silent video ("gifv"), and a post holds either
    # images or one video.
    server = instance or MastodonInstance()
    types = server.supported_mime_types
    image = KindRules(
        frozenset(t for t in types if t.startswith("image/")),
        server.image_size_limit,
        max_pixels=server.image_matrix_limit,
    )
    video = KindRules(
        frozenset(t for t in types if t.startswith("video/")),
        server.video_size_limit,
        max_pixels=server.video_matrix_limit,
    )
    gif = replace(image, mime_types=frozenset({GIF}) & types)
    return NetworkMediaRules(
        max_items=server.max_media_attachments,
        max_images=server.max_media_attachments,
        max_videos=1,
        kinds={"image": image, "gif": gif, "video": video},
        alt_text_max=server.description_limit,
    )
