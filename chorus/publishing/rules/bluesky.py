"""Bluesky: a post's text may hold 300 graphemes and 3,000 UTF-8 bytes.

Source: lexicon ``app.bsky.feed.post`` (bluesky-social/atproto), property ``text``:
``maxGraphemes: 300``, ``maxLength: 3000`` (the lexicon measures string length in UTF-8
bytes). A grapheme is what a reader sees as one character, so an emoji ZWJ family counts 1
and so does a Lao syllable with its vowel and tone marks. Both limits apply; Lao, Thai or
CJK text (three bytes a character) can pass the first only to meet the second in a longer
post, and a text of combining marks can meet the byte limit first.
"""

from __future__ import annotations

from chorus.publishing.rules.counting import (
    grapheme_costs,
    length_errors,
    overflow_error,
    tally,
    utf8_costs,
)
from chorus.publishing.rules.networks import Field, Network, Unit
from chorus.publishing.rules.results import CheckResult, ErrorCode

MAX_GRAPHEMES = 300
MAX_BYTES = 3000


def check_bluesky(text: str) -> CheckResult:
    counted, errors = length_errors(
        text,
        grapheme_costs(text),
        network=Network.BLUESKY,
        field=Field.TEXT,
        unit=Unit.GRAPHEMES,
        limit=MAX_GRAPHEMES,
    )
    in_bytes = tally(utf8_costs(text), MAX_BYTES)
    if in_bytes.count > MAX_BYTES:
        errors += (
            overflow_error(
                code=ErrorCode.TOO_MANY_BYTES,
                network=Network.BLUESKY,
                field=Field.TEXT,
                unit=Unit.UTF8_BYTES,
                counted=in_bytes,
                limit=MAX_BYTES,
                text_length=len(text),
            ),
        )
    return CheckResult(
        network=Network.BLUESKY,
        field=Field.TEXT,
        count=counted.count,
        limit=MAX_GRAPHEMES,
        unit=Unit.GRAPHEMES,
        errors=errors,
    )
