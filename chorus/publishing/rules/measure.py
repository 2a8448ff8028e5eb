"""The units that social networks count text in.

Python strings index by code point. Networks count in other units: extended grapheme
clusters (what a reader sees as one character), UTF-16 code units (JavaScript and Java
string lengths) or UTF-8 bytes. Grapheme clusters come from the ``regex`` library's ``\\X``,
which follows the current Unicode rules (emoji ZWJ sequences, flags, Indic conjuncts under
rule GB9c, Lao and Thai combining marks); the standard library's ``unicodedata`` is too old
for that.
"""

from __future__ import annotations

from itertools import accumulate

import regex

_GRAPHEME = regex.compile(r"\X")


def grapheme_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) code-point offsets of each extended grapheme cluster."""
    return [match.span() for match in _GRAPHEME.finditer(text)]


def grapheme_boundaries(text: str) -> list[int]:
    """Every code-point offset where a grapheme cluster starts, plus ``len(text)``."""
    return [0, *(end for _, end in grapheme_spans(text))] if text else [0]


def grapheme_count(text: str) -> int:
    return sum(1 for _ in _GRAPHEME.finditer(text))


def utf8_length(text: str) -> int:
    return len(text.encode("utf-8", "surrogatepass"))


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def _utf16_width(char: str) -> int:
    return 2 if ord(char) > 0xFFFF else 1


def _utf8_width(char: str) -> int:
    code = ord(char)
    return 1 if code < 0x80 else 2 if code < 0x800 else 3 if code < 0x10000 else 4


def utf16_offsets(text: str) -> list[int]:
    """``offsets[i]`` is the UTF-16 offset of code point ``i``; one extra entry for the end."""
    return [0, *accumulate(_utf16_width(char) for char in text)]


def utf8_offsets(text: str) -> list[int]:
    """``offsets[i]`` is the UTF-8 byte offset of code point ``i``; one extra for the end."""
    return [0, *accumulate(_utf8_width(char) for char in text)]
