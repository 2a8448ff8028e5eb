"""X's weighted length against twitter-text's conformance suite (validate.yml)."""

from __future__ import annotations

import pytest

from chorus.publishing.rules import CONFIG_V1, CONFIG_V2, CONFIG_V3, check_x, parse_weighted
from chorus.publishing.rules.results import ErrorCode
from chorus.publishing.rules.tests.conformance import cases

VALIDATE = "twitter-text/conformance/validate.yml"


def _as_twitter_text(text, config):
    parsed = parse_weighted(text, config)
    return {
        "weightedLength": parsed.weighted_length,
        "valid": parsed.valid,
        "permillage": parsed.permillage,
        "displayRangeStart": parsed.display_range[0],
        "displayRangeEnd": parsed.display_range[1],
        "validRangeStart": parsed.valid_range[0],
        "validRangeEnd": parsed.valid_range[1],
    }


@pytest.mark.parametrize("case", cases(VALIDATE, "tests", "WeightedTweetsCounterTest"))
def test_it_counts_like_twitter_text_v2(case):
    assert _as_twitter_text(case["text"], CONFIG_V2) == case["expected"]


@pytest.mark.parametrize(
    "case", cases(VALIDATE, "tests", "WeightedTweetsWithDiscountedEmojiCounterTest")
)
def test_it_counts_like_twitter_text_v3(case):
    assert _as_twitter_text(case["text"], CONFIG_V3) == case["expected"]


@pytest.mark.parametrize("case", cases(VALIDATE, "tests", "UnicodeDirectionalMarkerCounterTest"))
def test_it_counts_directional_markers_like_twitter_text(case):
    assert _as_twitter_text(case["text"], CONFIG_V3) == case["expected"]


@pytest.mark.parametrize("case", cases(VALIDATE, "tests", "tweets"))
def test_it_validates_legacy_140_character_tweets(case):
    assert parse_weighted(case["text"], CONFIG_V1).valid is case["expected"]


def test_it_defaults_to_v3_where_an_emoji_sequence_counts_two():
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466"
    assert check_x(family).count == 2
    assert check_x(family, config=CONFIG_V2).count == 11


def test_it_counts_every_url_as_23_whatever_its_length():
    assert check_x("see https://example.com/" + "a" * 300).count == 4 + 23
    assert check_x("see example.com").count == 4 + 23


def test_it_counts_lao_and_thai_code_points_as_one_and_cjk_as_two():
    # U+0000-U+10FF weighs 100: Lao and Thai count per code point, marks included.
    assert check_x("ສະບາຍດີ").count == 7
    assert check_x("สวัสดี").count == 6
    assert check_x("你好").count == 4


def test_it_normalises_before_counting():
    decomposed = "A\u0301"
    assert check_x(decomposed).count == 1


def test_it_accepts_280_and_refuses_281_with_the_span_of_the_excess():
    assert check_x("a" * 280).ok
    result = check_x("b" * 278 + "你好")
    assert result.count == 282
    (error,) = result.errors
    assert error.code is ErrorCode.TOO_LONG
    assert (error.start, error.end) == (279, 280)
    assert error.params == {"count": 282, "limit": 280}


def test_it_points_the_excess_at_the_original_text_after_normalising():
    # Each "e\u0301" is two code points in the input and one after NFC.
    text = "e\u0301" * 281
    (error,) = check_x(text).errors
    assert (error.start, error.end) == (560, 562)


def test_it_reports_characters_x_refuses():
    result = check_x("fine\ufffe")
    (error,) = result.errors
    assert error.code is ErrorCode.INVALID_CHARACTER
    assert (error.start, error.end) == (4, 5)
    assert error.params == {"character": "U+FFFE"}


def test_it_allows_empty_text_for_media_only_posts():
    assert check_x("").ok
    assert not parse_weighted("").valid  # twitter-text's own verdict is kept alongside
