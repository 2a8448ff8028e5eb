"""Cutting a long text into a thread whose every part fits the network.

X, Bluesky, Mastodon and Threads chain replies into threads. ``split_thread`` cuts greedily,
each part as long as the network's own counter allows, at the best place available
(``breaks``): the end of a paragraph or sentence when that keeps at least half of what
would fit, otherwise the last word boundary (ICU's dictionaries find Lao and Thai words),
and only when a part holds no word boundary at all, the last grapheme cluster boundary.
It never cuts inside a URL, mention, hashtag or grapheme cluster (an emoji ZWJ sequence, a
Lao syllable's vowel and tone marks). Whitespace at a cut is dropped.

With ``numbering``, each part ends in " k/n"; the suffix counts toward the limit. A text
that fits in one post is returned whole and unnumbered.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial

from chorus.publishing.rules.bluesky import check_bluesky
from chorus.publishing.rules.bluesky_facets import detect_facets
from chorus.publishing.rules.breaks import BreakLevel, break_opportunities
from chorus.publishing.rules.caption_limits import check_threads
from chorus.publishing.rules.mastodon import (
    DEFAULT_MAX_CHARACTERS,
    check_mastodon,
    remote_mention_spans,
)
from chorus.publishing.rules.networks import Field, Network
from chorus.publishing.rules.results import CheckResult, ErrorCode, RuleError
from chorus.publishing.rules.urls import PathRules, extract_urls
from chorus.publishing.rules.x import check_x
from chorus.publishing.rules.x_weighting import CONFIG_V3, WeightingConfig

THREADED_NETWORKS = frozenset({Network.X, Network.BLUESKY, Network.MASTODON, Network.THREADS})
_LENGTH_CODES = frozenset(
    {ErrorCode.TOO_LONG, ErrorCode.TOO_MANY_BYTES, ErrorCode.TOO_LONG_WITH_CONTENT_WARNING}
)


@dataclass(frozen=True)
class ThreadPart:
    """One post of a thread: ``text`` to publish, carrying ``original[start:end]``."""

    text: str
    start: int
    end: int


class UnsplittableTextError(ValueError):
    """Raised when one piece that may not be cut (a long link) is too long for a post."""

    def __init__(self, error: RuleError) -> None:
        super().__init__(error.code)
        self.error = error


def protected_spans(text: str) -> list[tuple[int, int]]:
    """URLs as X or Mastodon see them, Mastodon's remote mentions, and Bluesky's links,
    mentions and hashtags: whichever network a part goes to, none of them is cut."""
    spans = [(url.start, url.end) for url in extract_urls(text)]
    spans += [(url.start, url.end) for url in extract_urls(text, rules=PathRules.MASTODON)]
    spans += remote_mention_spans(text)
    spans += [(facet.start, facet.end) for facet in detect_facets(text)]
    return spans


def _counter(
    network: Network, x_config: WeightingConfig, mastodon_limit: int, content_warning: str
) -> Callable[[str], CheckResult]:
    if network is Network.X:
        return lambda text: check_x(text, config=x_config)
    if network is Network.BLUESKY:
        return check_bluesky
    if network is Network.MASTODON:
        return lambda text: check_mastodon(
            text, content_warning=content_warning, limit=mastodon_limit
        )
    if network is Network.THREADS:
        return check_threads
    raise ValueError(f"{network} has no threads")


def _fits(result: CheckResult) -> bool:
    return not any(error.code in _LENGTH_CODES for error in result.errors)


def _fits_with(count: Callable[[str], CheckResult], reserve: str, part: str) -> bool:
    return _fits(count(part + reserve))


def _skip_space(text: str, offset: int, stop: int) -> int:
    while offset < stop and text[offset].isspace():
        offset += 1
    return offset


def _trim_end(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


class _Cutter:
    def __init__(
        self, text: str, levels: dict[int, BreakLevel], fits: Callable[[str], bool], reach: int
    ) -> None:
        self.text = text
        self.levels = levels
        self.fits = fits
        # About how many code points a full part holds: where the search starts looking.
        self.reach = max(reach, 1)

    def fits_between(self, start: int, end: int) -> bool:
        return self.fits(self.text[start : _trim_end(self.text, start, end)])

    def last_fitting(self, start: int, candidates: list[int]) -> int | None:
        """Index of the last candidate that fits: gallop from a guess, then bisect."""
        guess = max(bisect_right(candidates, start + self.reach) - 1, 0)
        step = 1
        if self.fits_between(start, candidates[guess]):
            good = guess
            while good + step < len(candidates) and self.fits_between(
                start, candidates[good + step]
            ):
                good, step = good + step, step * 2
            bad = min(good + step, len(candidates))
        else:
            bad = guess
            while True:
                if bad == 0:
                    return None
                probe = max(bad - step, 0)
                if self.fits_between(start, candidates[probe]):
                    good = probe
                    break
                bad, step = probe, step * 2
        while bad - good > 1:
            middle = (good + bad) // 2
            if self.fits_between(start, candidates[middle]):
                good = middle
            else:
                bad = middle
        return good

    def best_end(self, start: int, candidates: list[int], last: int) -> int:
        """The best place to cut among ``candidates[: last + 1]``, which all (nearly) fit."""
        furthest = candidates[last]
        half = start + (furthest - start) // 2
        for level in (BreakLevel.PARAGRAPH, BreakLevel.SENTENCE, BreakLevel.WORD):
            for offset in reversed(candidates[: last + 1]):
                if level > BreakLevel.WORD and offset <= half:
                    break
                if self.levels.get(offset, BreakLevel.PARAGRAPH) >= level and self.fits_between(
                    start, offset
                ):
                    return offset
        return furthest

    def cut(self, start: int, stop: int, offsets: Iterable[int]) -> list[tuple[int, int]]:
        sorted_offsets = sorted(offset for offset in offsets if offset < stop)
        spans: list[tuple[int, int]] = []
        position = 0
        while start < stop:
            while position < len(sorted_offsets) and sorted_offsets[position] <= start:
                position += 1
            candidates = [*sorted_offsets[position:], stop]
            last = self.last_fitting(start, candidates)
            if last is None:
                raise _TooLong(start, candidates[0])
            end = stop if candidates[last] == stop else self.best_end(start, candidates, last)
            spans.append((start, _trim_end(self.text, start, end)))
            start = _skip_space(self.text, end, stop)
        return spans


class _TooLong(Exception):
    def __init__(self, start: int, end: int) -> None:
        super().__init__(start, end)
        self.start, self.end = start, end


def split_thread(
    text: str,
    network: Network,
    *,
    numbering: bool = False,
    language: str = "en",
    x_config: WeightingConfig = CONFIG_V3,
    mastodon_limit: int = DEFAULT_MAX_CHARACTERS,
    content_warning: str = "",
) -> list[ThreadPart]:
    """Parts of ``text`` for a thread on ``network``; an empty list for blank text.

    ``language`` (a BCP 47 tag such as ``en`` or ``lo``) tunes sentence detection, and for
    Mastodon the instance's ``mastodon_limit`` and the ``content_warning`` every part carries
    count too. Raises ``UnsplittableTextError`` when a link alone (or Mastodon's content
    warning) is too long for a post.
    """
    count = _counter(network, x_config, mastodon_limit, content_warning)
    start = _skip_space(text, 0, len(text))
    stop = _trim_end(text, start, len(text))
    if start == stop:
        return []
    whole = count(text[start:stop])
    if _fits(whole):
        return [ThreadPart(text[start:stop], start, stop)]
    empty = count("")
    if not _fits(empty):
        # A content warning too long on its own leaves no room in any part.
        raise UnsplittableTextError(empty.errors[0])
    levels = break_opportunities(text, protected_spans(text), language=language)
    # Start with room for as many digits as the parts are likely to need.
    width = len(str(-(-whole.count // whole.limit))) if numbering else 0
    while True:
        reserve = f" {'9' * width}/{'9' * width}" if numbering else ""
        cutter = _Cutter(
            text,
            levels,
            partial(_fits_with, count, reserve),
            reach=whole.limit - len(reserve) - len(content_warning),
        )
        try:
            spans = cutter.cut(start, stop, levels)
        except _TooLong as too_long:
            raise UnsplittableTextError(_unsplittable(network, count, text, too_long)) from None
        if not numbering or len(str(len(spans))) <= width:
            break
        width = len(str(len(spans)))
    total = len(spans)
    suffixes = [f" {index}/{total}" if numbering else "" for index in range(1, total + 1)]
    return [
        ThreadPart(text[part_start:part_end] + suffix, part_start, part_end)
        for (part_start, part_end), suffix in zip(spans, suffixes, strict=True)
    ]


def _unsplittable(
    network: Network, count: Callable[[str], CheckResult], text: str, too_long: _TooLong
) -> RuleError:
    result = count(text[too_long.start : too_long.end])
    return RuleError(
        code=ErrorCode.UNSPLITTABLE,
        network=network,
        field=Field.TEXT,
        start=too_long.start,
        end=too_long.end,
        unit=result.unit,
        params={"count": result.count, "limit": result.limit},
    )
