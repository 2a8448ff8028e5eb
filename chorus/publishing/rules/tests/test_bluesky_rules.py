"""Bluesky: graphemes and bytes, and facets at UTF-8 byte offsets (atproto vectors)."""

from __future__ import annotations

import pytest

from chorus.publishing.rules import FacetKind, check_bluesky, detect_facets
from chorus.publishing.rules.measure import grapheme_count, utf8_length
from chorus.publishing.rules.results import ErrorCode
from chorus.publishing.rules.tests.conformance import cases

GRAPHEMES = "atproto-richtext/grapheme_length_vectors.json"
FACETS = "atproto-richtext/richtext_facet_vectors.json"


@pytest.mark.parametrize("case", cases(GRAPHEMES, "grapheme_len_cases", loader="json"))
def test_it_counts_graphemes_and_bytes_like_atproto(case):
    assert grapheme_count(case["text"]) == case["graphemes"]
    assert utf8_length(case["text"]) == case["utf8_bytes_derived"]


@pytest.mark.parametrize("case", cases(GRAPHEMES, "richtext_length_cases", loader="json"))
def test_it_measures_rich_text_like_atproto(case):
    result = check_bluesky(case["text"])
    assert result.count == case["graphemes"]
    assert utf8_length(case["text"]) == case["utf8_bytes"]


def _links_and_mentions(text):
    return [
        {
            "text": text.encode()[facet.byte_start : facet.byte_end].decode(),
            # The vectors resolve handles with a mock resolver: did:fake:<handle>.
            "value": f"did:fake:{facet.value}" if facet.kind is FacetKind.MENTION else facet.value,
            "derived_byteStart": facet.byte_start,
            "derived_byteEnd": facet.byte_end,
        }
        for facet in detect_facets(text)
        if facet.kind is not FacetKind.TAG
    ]


@pytest.mark.parametrize("case", cases(FACETS, "detectFacets_segments", "cases", loader="json"))
def test_it_detects_links_and_mentions_like_atproto(case):
    assert _links_and_mentions(case["text"]) == case["derived_facets"]


@pytest.mark.parametrize(
    "case",
    cases(FACETS, "tags_inline", "cases", loader="json")
    + cases(FACETS, "cashtags_inline", "cases", loader="json"),
)
def test_it_detects_tags_like_atproto(case):
    tags = [facet for facet in detect_facets(case["text"]) if facet.kind is FacetKind.TAG]
    assert [tag.value for tag in tags] == case["tags"]
    assert [{"byteStart": t.byte_start, "byteEnd": t.byte_end} for t in tags] == case["indices"]


def test_it_accepts_300_graphemes_of_emoji_zwj_sequences():
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467\u200d\U0001f467"  # 25 bytes
    result = check_bluesky(family * 120)  # 120 graphemes, 3,000 bytes exactly
    assert (result.count, result.ok) == (120, True)
    (error,) = check_bluesky(family * 121).errors
    assert error.code is ErrorCode.TOO_MANY_BYTES
    assert (error.start, error.end) == (120 * 7, 121 * 7)


def test_it_counts_a_lao_syllable_with_its_marks_as_one():
    syllable = "ກີ່"  # consonant, vowel sign, tone mark
    assert check_bluesky(syllable).count == 1
    result = check_bluesky(syllable * 301)
    (error,) = result.errors
    assert error.code is ErrorCode.TOO_LONG
    assert (error.start, error.end) == (300 * 3, 301 * 3)
    assert error.params == {"count": 301, "limit": 300}


def test_it_counts_thai_and_cjk_by_grapheme_within_the_byte_limit():
    assert check_bluesky("สวัสดี" * 50).count == 200  # ส วั ส ดี: 4 graphemes, 6 code points
    assert check_bluesky("你好" * 150).ok  # 300 graphemes, 900 bytes


def test_it_reports_both_limits_when_both_are_passed():
    codes = [error.code for error in check_bluesky("ກີ່" * 400).errors]
    assert codes == [ErrorCode.TOO_LONG, ErrorCode.TOO_MANY_BYTES]


def test_it_puts_facets_at_byte_offsets_in_lao_text():
    text = "ສະບາຍດີ @alice.bsky.social #ລາວ https://example.la/ກ"
    facets = detect_facets(text)
    encoded = text.encode()
    assert [(f.kind, encoded[f.byte_start : f.byte_end].decode()) for f in facets] == [
        (FacetKind.MENTION, "@alice.bsky.social"),
        (FacetKind.TAG, "#ລາວ"),
        (FacetKind.LINK, "https://example.la/ກ"),
    ]
    assert [text[f.start : f.end] for f in facets] == [
        "@alice.bsky.social",
        "#ລາວ",
        facets[2].value,
    ]
