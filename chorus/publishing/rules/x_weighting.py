"""X's weighted length: how twitter-text's ``parseTweet`` counts a post.

Facts from twitter-text's configuration files (``config/v1.json`` to ``config/v3.json``,
Apache-2.0, described in ``config/README.md``):

* the text is NFC-normalised before it is counted;
* each code point weighs ``defaultWeight`` (200) unless it falls in one of the ``ranges``,
  which weigh 100: U+0000-U+10FF (Latin, Greek, Cyrillic, Arabic, the Indic scripts, Thai,
  Lao, Tibetan, Myanmar, Georgian) and general punctuation (U+2000-U+200D, U+2010-U+201F,
  U+2032-U+2037). The length is the sum over ``scale`` (100), so a Lao or Thai code point
  counts 1 and a CJK, Hangul or emoji code point counts 2;
* every URL counts ``transformedURLLength`` (23) whatever its length (X wraps it in t.co);
* with ``emojiParsingEnabled`` (v3) a whole emoji sequence weighs ``defaultWeight`` once,
  so a family emoji of seven code points counts 2;
* the limit is ``maxWeightedTweetLength`` (280), and U+FFFE, U+FEFF and U+FFFF make a post
  invalid.

Ranges are reported like twitter-text: inclusive UTF-16 offsets into the text as given.
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_right
from dataclasses import dataclass

from chorus.publishing.rules.emoji import emoji_spans
from chorus.publishing.rules.measure import grapheme_spans, utf16_length, utf16_offsets
from chorus.publishing.rules.urls import extract_urls

INVALID_CHARACTERS = frozenset("\ufffe\ufeff\uffff")


@dataclass(frozen=True)
class WeightRange:
    start: int
    end: int
    weight: int


@dataclass(frozen=True)
class WeightingConfig:
    version: int
    emoji_parsing: bool
    max_weighted_length: int = 280
    scale: int = 100
    default_weight: int = 200
    transformed_url_length: int = 23
    ranges: tuple[WeightRange, ...] = (
        WeightRange(0, 4351, 100),
        WeightRange(8192, 8205, 100),
        WeightRange(8208, 8223, 100),
        WeightRange(8242, 8247, 100),
    )

    def weight_of(self, char: str) -> int:
        code = ord(char)
        for weight_range in self.ranges:
            if weight_range.start <= code <= weight_range.end:
                return weight_range.weight
        return self.default_weight


# Version 1 is the old 140-character rule, every code point weighing the same.
CONFIG_V1 = WeightingConfig(
    version=1, emoji_parsing=False, max_weighted_length=140, scale=1, default_weight=1, ranges=()
)
CONFIG_V2 = WeightingConfig(version=2, emoji_parsing=False)
CONFIG_V3 = WeightingConfig(version=3, emoji_parsing=True)


@dataclass(frozen=True)
class WeightedParse:
    """The outcome of counting, with twitter-text's fields and offsets into the input."""

    weighted_length: int
    valid: bool
    permillage: int
    display_range: tuple[int, int]
    valid_range: tuple[int, int]
    # Code-point offset (into the text as given) of the first character past the limit.
    overflow_start: int | None
    invalid_positions: tuple[int, ...]


class _Normalised:
    """NFC text plus a map from its offsets back to the text as given.

    Normalisation never crosses a grapheme cluster, so each cluster is normalised alone
    and keeps its own offset; should that ever disagree with normalising the whole text,
    the whole text is one piece and offsets map to its start.
    """

    def __init__(self, text: str) -> None:
        spans = grapheme_spans(text)
        pieces = [unicodedata.normalize("NFC", text[start:end]) for start, end in spans]
        self.text = "".join(pieces)
        if self.text != unicodedata.normalize("NFC", text):
            self.text = unicodedata.normalize("NFC", text)
            spans, pieces = [(0, len(text))], [self.text]
        self._original_starts = [start for start, _ in spans]
        self._starts: list[int] = []
        offset = 0
        for piece in pieces:
            self._starts.append(offset)
            offset += len(piece)

    def original_offset(self, offset: int) -> int:
        return self._original_starts[bisect_right(self._starts, offset) - 1]


def parse_weighted(text: str, config: WeightingConfig = CONFIG_V3) -> WeightedParse:
    normalised = _Normalised(text)
    norm = normalised.text
    entities: dict[int, tuple[int, int]] = {}
    if config.emoji_parsing:
        entities.update((start, (end, config.default_weight)) for start, end in emoji_spans(norm))
    # URLs win over emoji that start at the same place.
    url_weight = config.transformed_url_length * config.scale
    entities.update((url.start, (url.end, url_weight)) for url in extract_urls(norm))

    limit = config.max_weighted_length * config.scale
    offsets16 = utf16_offsets(norm)
    weight = 0
    valid = True
    valid_display_index = 0
    overflow_start: int | None = None
    index = 0
    while index < len(norm):
        end, item_weight = entities.get(index, (index + 1, 0))
        weight += item_weight or config.weight_of(norm[index])
        last = end - 1
        # Like twitter-text, only the last UTF-16 unit of an item is tested for validity.
        valid = valid and norm[last] not in INVALID_CHARACTERS
        if weight > limit and overflow_start is None:
            overflow_start = normalised.original_offset(index)
        if valid and weight <= limit:
            valid_display_index = offsets16[end] - 1
        index = end

    weighted_length = weight // config.scale
    length16 = utf16_length(text)
    return WeightedParse(
        weighted_length=weighted_length,
        valid=valid and 0 < weighted_length <= config.max_weighted_length,
        permillage=weight * 1000 // limit,
        display_range=(0, max(length16 - 1, 0)),
        valid_range=(0, valid_display_index + length16 - offsets16[-1]),
        overflow_start=overflow_start,
        invalid_positions=tuple(i for i, char in enumerate(text) if char in INVALID_CHARACTERS),
    )
