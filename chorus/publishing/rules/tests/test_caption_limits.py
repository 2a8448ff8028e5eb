"""Threads, LinkedIn, Instagram, Facebook, TikTok, YouTube and Pinterest limits."""

from __future__ import annotations

import pytest

from chorus.publishing.rules import (
    Field,
    Network,
    Unit,
    check_facebook,
    check_instagram,
    check_linkedin,
    check_pinterest,
    check_pinterest_title,
    check_threads,
    check_tiktok,
    check_youtube_description,
    check_youtube_title,
)
from chorus.publishing.rules.results import ErrorCode

THUMBS_UP = "\U0001f44d"  # 2 UTF-16 units, 4 UTF-8 bytes
FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466"  # 11 units, 25 bytes

LIMITS = [
    (check_threads, Network.THREADS, Field.TEXT, Unit.THREADS_CHARACTERS, 500),
    (check_linkedin, Network.LINKEDIN, Field.TEXT, Unit.UTF16_UNITS, 3000),
    (check_instagram, Network.INSTAGRAM, Field.TEXT, Unit.UTF16_UNITS, 2200),
    (check_facebook, Network.FACEBOOK, Field.TEXT, Unit.UTF16_UNITS, 63206),
    (check_tiktok, Network.TIKTOK, Field.TEXT, Unit.UTF16_UNITS, 2200),
    (check_youtube_title, Network.YOUTUBE, Field.TITLE, Unit.UTF16_UNITS, 100),
    (check_youtube_description, Network.YOUTUBE, Field.DESCRIPTION, Unit.UTF8_BYTES, 5000),
    (check_pinterest, Network.PINTEREST, Field.DESCRIPTION, Unit.UTF16_UNITS, 500),
    (check_pinterest_title, Network.PINTEREST, Field.TITLE, Unit.UTF16_UNITS, 100),
]


@pytest.mark.parametrize(("check", "network", "field", "unit", "limit"), LIMITS)
def test_it_accepts_the_limit_and_refuses_one_more(check, network, field, unit, limit):
    at_limit = check("a" * limit)
    assert (at_limit.ok, at_limit.count, at_limit.limit, at_limit.unit) == (
        True,
        limit,
        limit,
        unit,
    )
    over = check("a" * (limit + 1))
    (error,) = over.errors
    assert (error.code, error.network, error.field) == (ErrorCode.TOO_LONG, network, field)
    assert (error.start, error.end) == (limit, limit + 1)
    assert error.params == {"count": limit + 1, "limit": limit}


def test_it_counts_emoji_in_utf8_bytes_on_threads():
    assert check_threads(THUMBS_UP).count == 4
    assert check_threads(FAMILY).count == 25
    assert check_threads("ສະບາຍດີ").count == 7  # other text: one per code point
    assert check_threads(THUMBS_UP * 125).ok
    assert not check_threads(THUMBS_UP * 126).ok


def test_it_counts_emoji_in_utf16_units_where_the_unit_is_unsaid():
    assert check_linkedin(THUMBS_UP + FAMILY).count == 13
    assert check_tiktok("ສະບາຍດີ").count == 7


def test_it_never_splits_a_grapheme_when_pointing_at_the_excess():
    (error,) = check_linkedin("a" * 2999 + THUMBS_UP).errors
    assert (error.start, error.end) == (2999, 3000)


def test_it_counts_youtube_descriptions_in_bytes():
    assert check_youtube_description("ສ" * 1666).count == 4998
    assert not check_youtube_description("ສ" * 1667).ok


@pytest.mark.parametrize("check", [check_youtube_title, check_youtube_description])
def test_it_refuses_angle_brackets_on_youtube(check):
    result = check("a <b> c")
    assert [(e.code, e.start, e.end, e.params["character"]) for e in result.errors] == [
        (ErrorCode.INVALID_CHARACTER, 2, 3, "<"),
        (ErrorCode.INVALID_CHARACTER, 4, 5, ">"),
    ]


def test_it_allows_thirty_hashtags_on_instagram():
    tags = [f"#tag{number}" for number in range(31)]
    assert check_instagram(" ".join(tags[:30])).ok
    text = " ".join(tags)
    (error,) = check_instagram(text).errors
    assert error.code is ErrorCode.TOO_MANY_HASHTAGS
    assert text[error.start : error.end] == "#tag30"
    assert error.params == {"count": 31, "limit": 30}


def test_it_counts_hashtags_in_any_script_but_not_anchors_or_entities():
    assert check_instagram("#ລາວ #ไทย #日本").ok
    from chorus.publishing.rules.caption_limits import _HASHTAG

    assert len(_HASHTAG.findall("#ລາວ #ไทย x#no &#39; https://a.b/#frag")) == 2
