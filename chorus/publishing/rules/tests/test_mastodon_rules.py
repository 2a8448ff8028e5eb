"""Mastodon: graphemes, URLs as 23, remote mentions as their local part, the CW included."""

from __future__ import annotations

import pytest

from chorus.publishing.rules import check_mastodon
from chorus.publishing.rules.mastodon import countable_text
from chorus.publishing.rules.networks import Field
from chorus.publishing.rules.results import ErrorCode
from chorus.publishing.rules.tests.conformance import cases

VECTORS = "mastodon/status_length_vectors.json"


@pytest.mark.parametrize("case", cases(VECTORS, "cases", loader="json"))
def test_it_counts_like_a_live_mastodon_server(case):
    assert check_mastodon(case["text"]).count == case["expected_length"]
    # The same vectors: a content warning "what" adds its four characters.
    assert check_mastodon(case["text"], content_warning="what").count == case["expected_length"] + 4


# The cases of Mastodon's StatusLengthValidator spec (mastodon_counting.md), limit 500.
def test_it_counts_a_linked_url_as_23():
    assert check_mastodon("a" * 476 + " http://" + "b" * 30 + ".com/example").ok


def test_it_counts_a_url_glued_to_text_in_full():
    assert not check_mastodon("a" * 476 + "http://" + "b" * 30 + ".com/example").ok


def test_it_counts_an_overly_long_url_in_full():
    assert not check_mastodon("http://example.com/valid?" + "#foo?" * 1000).ok


def test_it_counts_only_the_local_part_of_a_remote_mention():
    result = check_mastodon("a" * 475 + " @alice@" + "b" * 30 + ".com")
    assert (result.count, result.ok) == (482, True)


def test_it_counts_a_mention_with_an_overlong_domain_in_full():
    assert not check_mastodon("@alice@" + "b" * 500 + ".com").ok


def test_it_counts_emoji_and_zwj_sequences_as_one():
    assert check_mastodon("✨" * 500).ok
    assert check_mastodon("🏳️‍⚧️" * 500).ok


def test_it_counts_the_content_warning_toward_the_same_limit():
    result = check_mastodon("b" * 251, content_warning="a" * 250)
    (error,) = result.errors
    assert error.code is ErrorCode.TOO_LONG_WITH_CONTENT_WARNING
    assert (error.field, error.start, error.end) == (Field.TEXT, 250, 251)


def test_it_blames_the_content_warning_when_it_alone_is_too_long():
    (error,) = check_mastodon("text", content_warning="a" * 520).errors
    assert (error.code, error.field, error.start, error.end) == (
        ErrorCode.TOO_LONG,
        Field.CONTENT_WARNING,
        500,
        520,
    )


def test_it_uses_the_instance_limit():
    assert check_mastodon("a" * 600, limit=5000).ok
    result = check_mastodon("a" * 301, limit=300)
    assert (result.limit, result.errors[0].start) == (300, 300)


def test_it_points_an_overflow_inside_a_url_at_the_url_start():
    text = "a" * 490 + " https://example.com/long"
    (error,) = check_mastodon(text).errors
    assert error.start == 491


def test_it_rewrites_urls_and_mentions_for_counting():
    assert countable_text("hi @bob@example.com see https://example.com/x") == (
        "hi @bob see " + "x" * 23
    )
    assert countable_text("mail bob@example.com") == "mail bob@example.com"
