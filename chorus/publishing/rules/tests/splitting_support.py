"""Shared checks for thread-splitting tests: the invariants every split must keep."""

from __future__ import annotations

from chorus.publishing.rules import Network, check_bluesky, check_mastodon, check_threads, check_x
from chorus.publishing.rules.measure import grapheme_boundaries
from chorus.publishing.rules.splitting import protected_spans

COUNTERS = {
    Network.X: check_x,
    Network.BLUESKY: check_bluesky,
    Network.MASTODON: check_mastodon,
    Network.THREADS: check_threads,
}


def assert_reconstructs(text, parts, *, numbering):
    """Parts carry the text in order; only whitespace is lost at the cuts."""
    position = 0
    for index, part in enumerate(parts, start=1):
        assert text[position : part.start].strip() == "", "lost text between parts"
        assert part.start < part.end
        suffix = f" {index}/{len(parts)}" if numbering and len(parts) > 1 else ""
        assert part.text == text[part.start : part.end] + suffix
        position = part.end
    assert text[position:].strip() == ""


def assert_cuts_are_clean(text, parts):
    """No cut falls inside a grapheme cluster or inside a URL, mention or hashtag."""
    boundaries = set(grapheme_boundaries(text))
    spans = protected_spans(text)
    for part in parts:
        for cut in (part.start, part.end):
            assert cut in boundaries, f"cut at {cut} splits a grapheme cluster"
            inside = [(s, e) for s, e in spans if s < cut < e]
            assert not inside, f"cut at {cut} splits {[text[s:e] for s, e in inside]}"


def assert_parts_fit(network, parts, **options):
    for part in parts:
        result = COUNTERS[network](part.text, **options)
        assert result.ok, (part.text, result.errors)
