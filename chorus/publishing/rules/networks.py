"""The networks Chorus publishes to, the fields they limit, and the units they count in."""

from __future__ import annotations

from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Network(StrEnum):
    X = "x"
    BLUESKY = "bluesky"
    MASTODON = "mastodon"
    THREADS = "threads"
    LINKEDIN = "linkedin"
    INSTAGRAM = "instagram"
    FACEBOOK = "facebook"
    TIKTOK = "tiktok"
    YOUTUBE = "youtube"
    PINTEREST = "pinterest"

    @property
    def label(self) -> str:
        # Brand names are written the same in every language.
        return _BRANDS[self]


_BRANDS = {
    Network.X: "X",
    Network.BLUESKY: "Bluesky",
    Network.MASTODON: "Mastodon",
    Network.THREADS: "Threads",
    Network.LINKEDIN: "LinkedIn",
    Network.INSTAGRAM: "Instagram",
    Network.FACEBOOK: "Facebook",
    Network.TIKTOK: "TikTok",
    Network.YOUTUBE: "YouTube",
    Network.PINTEREST: "Pinterest",
}


class Field(StrEnum):
    TEXT = "text"
    CONTENT_WARNING = "spoiler_text"
    TITLE = "title"
    DESCRIPTION = "description"
    MEDIA = "media"

    @property
    def label(self) -> Promise:
        return _FIELD_LABELS[self]


_FIELD_LABELS: dict[Field, Promise] = {
    Field.TEXT: pgettext_lazy("part of a post", "text"),
    Field.CONTENT_WARNING: pgettext_lazy("part of a post", "content warning"),
    Field.TITLE: pgettext_lazy("part of a post", "title"),
    Field.DESCRIPTION: pgettext_lazy("part of a post", "description"),
    Field.MEDIA: pgettext_lazy("part of a post", "media"),
}


class Unit(StrEnum):
    """What a network counts. Readers know all but bytes as "characters"."""

    WEIGHTED = "weighted"  # X: twitter-text weights, most scripts other than Latin count 2
    GRAPHEMES = "graphemes"  # what a reader sees as one character
    UTF16_UNITS = "utf16_units"  # JavaScript/Java string length: emoji count 2 or more
    THREADS_CHARACTERS = "threads_characters"  # code points, but an emoji counts its bytes
    UTF8_BYTES = "utf8_bytes"

    @property
    def label(self) -> Promise:
        return _("bytes") if self is Unit.UTF8_BYTES else _("characters")
