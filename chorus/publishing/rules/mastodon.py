"""Mastodon: 500 characters by default, or whatever the instance says.

Facts (``mastodon_counting.md`` in the conformance data: Mastodon's
``StatusLengthValidator`` and its spec, the web composer's counter, the user docs, and the
Mastodon.py length vectors measured on a live server):

* the unit is the extended grapheme cluster (Ruby ``each_grapheme_cluster``);
* every URL the server links (``http://`` or ``https://`` required) counts 23
  (``characters_reserved_per_url``), also when it is shorter;
* a remote mention ``@user@example.social`` counts only ``@user``; one whose domain is
  longer than 253 characters is not a mention and counts in full;
* hashtags count as typed;
* the content warning (``spoiler_text``) counts in full toward the same limit;
* the limit is the instance's ``configuration.statuses.max_characters`` (``GET
  /api/v2/instance``), 500 on a stock server, so callers pass the instance's value.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

from chorus.publishing.rules.counting import Tally, overflow_error
from chorus.publishing.rules.measure import grapheme_spans
from chorus.publishing.rules.networks import Field, Network, Unit
from chorus.publishing.rules.results import CheckResult, ErrorCode, RuleError
from chorus.publishing.rules.urls import PathRules, extract_urls

DEFAULT_MAX_CHARACTERS = 500
CHARACTERS_RESERVED_PER_URL = 23
MAX_DOMAIN_LENGTH = 253

_REMOTE_MENTION = regex.compile(
    r"(?<![=/\w])@(?P<user>[a-z0-9_]+(?:[.-]+[a-z0-9_]+)*)@(?P<domain>\w+(?:[.-]+\w+)*)",
    regex.IGNORECASE,
)


@dataclass(frozen=True)
class _Piece:
    """A stretch of the text as given and what it counts as."""

    start: int
    end: int
    counted_as: str
    whole: bool  # a URL or mention: an error inside it points at its start


def remote_mention_spans(text: str) -> list[tuple[int, int]]:
    """Where ``@user@domain`` mentions are, the ones Mastodon counts as ``@user``."""
    return [
        match.span()
        for match in _REMOTE_MENTION.finditer(text)
        if len(match["domain"]) <= MAX_DOMAIN_LENGTH
    ]


def _entities(text: str) -> list[tuple[int, int, str]]:
    found = [
        (url.start, url.end, "x" * CHARACTERS_RESERVED_PER_URL)
        for url in extract_urls(text, without_scheme=False, rules=PathRules.MASTODON)
    ]
    found += [
        (match.start(), match.end(), f"@{match['user']}")
        for match in _REMOTE_MENTION.finditer(text)
        if len(match["domain"]) <= MAX_DOMAIN_LENGTH
    ]
    kept: list[tuple[int, int, str]] = []
    for entity in sorted(found):
        if not kept or entity[0] >= kept[-1][1]:
            kept.append(entity)
    return kept


def _pieces(text: str) -> list[_Piece]:
    pieces: list[_Piece] = []
    position = 0
    for start, end, counted_as in _entities(text):
        if start > position:
            pieces.append(_Piece(position, start, text[position:start], whole=False))
        pieces.append(_Piece(start, end, counted_as, whole=True))
        position = end
    if position < len(text):
        pieces.append(_Piece(position, len(text), text[position:], whole=False))
    return pieces


def countable_text(text: str) -> str:
    """The text as Mastodon counts it: URLs as 23 ``x``, remote mentions as ``@user``."""
    return "".join(piece.counted_as for piece in _pieces(text))


def _original_offset(pieces: list[_Piece], offset: int) -> int:
    position = 0
    for piece in pieces:
        if offset < position + len(piece.counted_as):
            return piece.start if piece.whole else piece.start + offset - position
        position += len(piece.counted_as)
    return pieces[-1].end if pieces else 0


def check_mastodon(
    text: str, *, content_warning: str = "", limit: int = DEFAULT_MAX_CHARACTERS
) -> CheckResult:
    pieces = _pieces(text)
    counted = content_warning + "".join(piece.counted_as for piece in pieces)
    spans = grapheme_spans(counted)
    count = len(spans)
    errors: tuple[RuleError, ...] = ()
    if count > limit:
        overflow = spans[limit][0]
        if overflow < len(content_warning):
            field, code, start = Field.CONTENT_WARNING, ErrorCode.TOO_LONG, overflow
            length = len(content_warning)
        else:
            field, start, length = Field.TEXT, 0, len(text)
            code = (
                ErrorCode.TOO_LONG_WITH_CONTENT_WARNING if content_warning else ErrorCode.TOO_LONG
            )
            start = _original_offset(pieces, overflow - len(content_warning))
        errors = (
            overflow_error(
                code=code,
                network=Network.MASTODON,
                field=field,
                unit=Unit.GRAPHEMES,
                counted=Tally(count, start),
                limit=limit,
                text_length=length,
            ),
        )
    return CheckResult(
        network=Network.MASTODON,
        field=Field.TEXT,
        count=count,
        limit=limit,
        unit=Unit.GRAPHEMES,
        errors=errors,
    )
