"""Finding emoji the way a reader sees them: one picture, however many code points.

X (twitter-text configuration v3, ``emojiParsingEnabled``) weighs each emoji as one
character of the default weight, and Threads counts each emoji by its UTF-8 bytes. Both
need the extent of every emoji in a text. The grammar follows Unicode Technical Standard
#51 (emoji keycap, flag, tag, modifier, presentation and ZWJ sequences) using the emoji
properties of the ``regex`` library's Unicode database.

A symbol whose default presentation is text (©, ®, ☺, ♥) is an emoji only when followed by
VS16 (U+FE0F) or when it is part of a sequence; bare, it is ordinary text.
"""

from __future__ import annotations

import regex

_KEYCAP = r"[0-9#*]\uFE0F?\u20E3"
_FLAG = r"\p{Regional_Indicator}{2}"
_TAG_SEQUENCE = r"\U0001F3F4[\U000E0020-\U000E007E]+\U000E007F"
_MODIFIED = r"\p{Emoji_Modifier_Base}\uFE0F?\p{Emoji_Modifier}"
_PRESENTED = r"\p{Emoji}\uFE0F"
# VS15 (U+FE0E) asks for the text presentation, so such a character is not a picture.
_PICTURE = r"\p{Emoji_Presentation}(?!\uFE0E)"
_STANDALONE = f"(?:{_KEYCAP}|{_FLAG}|{_TAG_SEQUENCE}|{_MODIFIED}|{_PRESENTED}|{_PICTURE})"
# Inside a ZWJ sequence a text-default pictograph still joins the picture (👁‍🗨).
_JOINED = f"(?:{_STANDALONE}|\\p{{Extended_Pictographic}}\\p{{Emoji_Modifier}}?)"
_EMOJI = regex.compile(f"{_STANDALONE}(?:\\u200D{_JOINED})*|{_JOINED}(?:\\u200D{_JOINED})+")


def emoji_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) code-point offsets of each emoji, leftmost-longest, not overlapping."""
    return [match.span() for match in _EMOJI.finditer(text)]


def is_emoji(text: str) -> bool:
    """Whether the whole of ``text`` is a single emoji."""
    return _EMOJI.fullmatch(text) is not None
