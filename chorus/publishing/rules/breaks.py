"""Where a long text may be cut into thread parts, and how good each place is.

Sentence and line-break opportunities come from ICU (PyICU): its sentence rules (UAX #29,
with the English abbreviation list, so "Mr. Smith" stays whole) and its line-break rules
(UAX #14) with ICU's word dictionaries for scripts written without spaces. Lao and Thai
need the dictionaries: without them a Lao sentence has no break opportunity at all, and
the only places left would be between syllables. Chinese and Japanese break between
characters, but not before closing punctuation.

Every opportunity is also a grapheme-cluster boundary as ``measure`` defines it (ICU's
Unicode version may be older than the ``regex`` library's), and none falls inside a
protected span: a URL, a mention or a hashtag.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import IntEnum

import icu
import regex

from chorus.publishing.rules.measure import grapheme_boundaries, utf16_offsets


class BreakLevel(IntEnum):
    GRAPHEME = 0
    WORD = 1
    SENTENCE = 2
    PARAGRAPH = 3


def _icu_boundaries(iterator: icu.BreakIterator, text: str) -> list[int]:
    # ICU counts in UTF-16 units; map its offsets back to code points.
    to_code_point = {unit: index for index, unit in enumerate(utf16_offsets(text))}
    iterator.setText(text)
    return [to_code_point[unit] for unit in iterator if unit in to_code_point]


_BLANK_LINES = regex.compile(r"\n[^\S\n]*\n\s*")


def _paragraph_ends(text: str) -> list[int]:
    return [match.end() for match in _BLANK_LINES.finditer(text)]


def break_opportunities(
    text: str, protected: Iterable[tuple[int, int]], *, language: str = "en"
) -> dict[int, BreakLevel]:
    """Offsets strictly inside ``text`` where a part may end, each with its best level."""
    blocked: set[int] = set()
    for start, end in protected:
        blocked.update(range(start + 1, end))
    allowed = set(grapheme_boundaries(text)) - blocked - {0, len(text)}
    levels = dict.fromkeys(allowed, BreakLevel.GRAPHEME)

    def upgrade(offsets: Iterable[int], level: BreakLevel) -> None:
        for offset in offsets:
            if offset in levels and levels[offset] < level:
                levels[offset] = level

    locale = icu.Locale(f"{language}@ss=standard")
    upgrade(_icu_boundaries(icu.BreakIterator.createLineInstance(locale), text), BreakLevel.WORD)
    sentences = _icu_boundaries(icu.BreakIterator.createSentenceInstance(locale), text)
    upgrade(sentences, BreakLevel.SENTENCE)
    upgrade(_paragraph_ends(text), BreakLevel.PARAGRAPH)
    return levels
