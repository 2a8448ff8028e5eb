"""Bluesky rich-text facets: links, mentions and hashtags at UTF-8 byte offsets.

A Bluesky post is plain text plus facets (lexicon ``app.bsky.richtext.facet``): each one
marks a ``byteSlice`` of the UTF-8 text, start inclusive, end exclusive, as a link (``uri``),
a mention (a DID, which the engine resolves from the handle found here) or a tag. Detection
behaves like the official client's ``RichText.detectFacets``, checked against its test
vectors (``atproto-richtext/richtext_facet_vectors.json``):

* a mention is ``@`` and a handle after the start, a space or ``(``; the handle must end in
  a known top-level domain (or ``.test``);
* a link is ``http(s)://`` and what follows up to a space, or a bare host ending in a known
  top-level domain (it gets ``https://``); one trailing ``.,;:!?`` is dropped, then a ``)``
  with no ``(`` in the link;
* a hashtag is ``#`` or ``＃`` after the start or a space, not followed by VS16, holding a
  character that is not a digit or punctuation, with trailing punctuation dropped; it may
  have at most 64 graphemes and 640 bytes (lexicon ``app.bsky.richtext.facet#tag``);
* a cashtag (``$AAPL``) is a tag of up to five letters and digits, upper-cased.

The top-level domains are twitter-text's list (``tld_data``); the official client uses
IANA's current list, which differs only in rarely used names.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import regex

from chorus.publishing.rules import tld_data
from chorus.publishing.rules.measure import grapheme_count, utf8_length, utf8_offsets

MAX_TAG_GRAPHEMES = 64
MAX_TAG_BYTES = 640

# JavaScript's \s, which the official client's patterns use.
_SPACE = "\t\n\x0b\x0c\r \xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
_AFTER_SPACE = f"(?:^|(?<=[{_SPACE}]))"
_AFTER_SPACE_OR_PAREN = f"(?:^|(?<=[{_SPACE}(]))"
_WORD = "[A-Za-z0-9_]"
_ASCII_WORD_BOUNDARY = f"(?:(?<={_WORD})(?!{_WORD})|(?<!{_WORD})(?={_WORD}))"
_NOT_IN_TAG = "\u00ad\u2060\u200a\u200b\u200c\u200d\u20e2"

_MENTION = regex.compile(
    f"{_AFTER_SPACE_OR_PAREN}@(?P<handle>[a-zA-Z0-9.-]+){_ASCII_WORD_BOUNDARY}"
)
_LINK = regex.compile(
    f"{_AFTER_SPACE_OR_PAREN}(?P<link>https?://[^{_SPACE}]+"
    f"|(?P<host>[a-z][a-z0-9]*(?:\\.[a-z0-9]+)+)[^{_SPACE}]*)",
    regex.IGNORECASE,
)
_TAG = regex.compile(
    f"{_AFTER_SPACE}[#\uff03](?P<tag>(?!\ufe0f)[^{_SPACE}{_NOT_IN_TAG}]*"
    f"[^0-9{_SPACE}\\p{{P}}{_NOT_IN_TAG}]+[^{_SPACE}{_NOT_IN_TAG}]*)?"
)
_TRAILING_PUNCTUATION = regex.compile(r"\p{P}+$")
_CASHTAG = regex.compile(
    f"{_AFTER_SPACE_OR_PAREN}\\$(?P<ticker>[A-Za-z][A-Za-z0-9]{{0,4}})"
    f"(?=[{_SPACE}]|$|[.,;:!?)\"'\u2019])"
)
_TOP_LEVEL_DOMAINS = frozenset(name.lower() for name in tld_data.COUNTRY + tld_data.GENERIC)


class FacetKind(StrEnum):
    LINK = "link"
    MENTION = "mention"
    TAG = "tag"


@dataclass(frozen=True)
class Facet:
    """``start``/``end`` are code-point offsets; ``byte_start``/``byte_end`` UTF-8 ones.

    ``value`` is the link's URI, the mentioned handle (without ``@``) or the tag (without
    ``#``; a cashtag keeps its ``$``).
    """

    kind: FacetKind
    start: int
    end: int
    byte_start: int
    byte_end: int
    value: str


def _is_known_domain(host: str) -> bool:
    name, dot, top = host.lower().rpartition(".")
    return bool(name and dot) and top in _TOP_LEVEL_DOMAINS


def _mentions(text: str) -> list[tuple[FacetKind, int, int, str]]:
    found = []
    for match in _MENTION.finditer(text):
        handle = match["handle"]
        if _is_known_domain(handle) or handle.lower().endswith(".test"):
            found.append((FacetKind.MENTION, match.start(), match.end(), handle))
    return found


def _links(text: str) -> list[tuple[FacetKind, int, int, str]]:
    found = []
    for match in _LINK.finditer(text):
        uri, (start, end) = match["link"], match.span("link")
        if match["host"] is not None:
            if not _is_known_domain(match["host"]):
                continue
            uri = f"https://{uri}"
        if uri[-1] in ".,;:!?":
            uri, end = uri[:-1], end - 1
        if uri.endswith(")") and "(" not in uri:
            uri, end = uri[:-1], end - 1
        found.append((FacetKind.LINK, start, end, uri))
    return found


def _fits_tag_limits(tag: str) -> bool:
    return 0 < grapheme_count(tag) <= MAX_TAG_GRAPHEMES and utf8_length(tag) <= MAX_TAG_BYTES


def _tags(text: str) -> list[tuple[FacetKind, int, int, str]]:
    found = []
    for match in _TAG.finditer(text):
        if match["tag"] is None:
            continue
        tag = _TRAILING_PUNCTUATION.sub("", match["tag"])
        if _fits_tag_limits(tag):
            found.append((FacetKind.TAG, match.start(), match.start("tag") + len(tag), tag))
    for match in _CASHTAG.finditer(text):
        found.append((FacetKind.TAG, match.start(), match.end(), f"${match['ticker'].upper()}"))
    return found


def detect_facets(text: str) -> list[Facet]:
    """Every facet in ``text``, in order; of two that overlap the earlier one is kept."""
    offsets = utf8_offsets(text)
    facets: list[Facet] = []
    found = sorted(_mentions(text) + _links(text) + _tags(text), key=lambda item: item[1:3])
    for kind, start, end, value in found:
        if facets and start < facets[-1].end:
            continue
        facets.append(Facet(kind, start, end, offsets[start], offsets[end], value))
    return facets
