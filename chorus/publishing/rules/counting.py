"""Adding up what text costs on a network, and finding where it goes past the limit."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from chorus.publishing.rules.emoji import is_emoji
from chorus.publishing.rules.measure import grapheme_spans, utf8_length, utf16_length
from chorus.publishing.rules.networks import Field, Network, Unit
from chorus.publishing.rules.results import ErrorCode, RuleError


@dataclass(frozen=True)
class Tally:
    count: int
    # Offset of the first item that no longer fits, or None when everything fits.
    overflow_start: int | None


def tally(costs: Iterable[tuple[int, int]], limit: int) -> Tally:
    """Sum ``(offset, cost)`` items, noting where the running total first passes ``limit``."""
    total = 0
    overflow_start: int | None = None
    for offset, cost in costs:
        total += cost
        if overflow_start is None and total > limit:
            overflow_start = offset
    return Tally(total, overflow_start)


def grapheme_costs(text: str) -> list[tuple[int, int]]:
    return [(start, 1) for start, _ in grapheme_spans(text)]


def utf16_costs(text: str) -> list[tuple[int, int]]:
    # Per grapheme rather than per code point, so an error never starts inside a cluster.
    return [(start, utf16_length(text[start:end])) for start, end in grapheme_spans(text)]


def utf8_costs(text: str) -> list[tuple[int, int]]:
    return [(start, utf8_length(text[start:end])) for start, end in grapheme_spans(text)]


def threads_costs(text: str) -> list[tuple[int, int]]:
    """Threads: "Emojis are counted as the number of UTF-8 bytes"; other text by character."""
    costs = []
    for start, end in grapheme_spans(text):
        cluster = text[start:end]
        emoji = not cluster.isascii() and is_emoji(cluster)  # every emoji has a non-ASCII part
        costs.append((start, utf8_length(cluster) if emoji else len(cluster)))
    return costs


def overflow_error(
    *,
    code: ErrorCode,
    network: Network,
    field: Field,
    unit: Unit,
    counted: Tally,
    limit: int,
    text_length: int,
) -> RuleError:
    """The error for text past a limit: its span runs from the first excess character."""
    start = counted.overflow_start if counted.overflow_start is not None else text_length
    return RuleError(
        code=code,
        network=network,
        field=field,
        start=start,
        end=text_length,
        unit=unit,
        params={"count": counted.count, "limit": limit},
    )


def length_errors(
    text: str,
    costs: list[tuple[int, int]],
    *,
    network: Network,
    field: Field,
    unit: Unit,
    limit: int,
) -> tuple[Tally, tuple[RuleError, ...]]:
    counted = tally(costs, limit)
    if counted.count <= limit:
        return counted, ()
    error = overflow_error(
        code=ErrorCode.TOO_LONG,
        network=network,
        field=field,
        unit=unit,
        counted=counted,
        limit=limit,
        text_length=len(text),
    )
    return counted, (error,)
