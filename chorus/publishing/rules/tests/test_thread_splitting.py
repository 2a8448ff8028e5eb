"""Splitting long text into threads: where it cuts, and what it never cuts."""

from __future__ import annotations

import pytest

from chorus.publishing.rules import (
    ErrorCode,
    Field,
    Network,
    UnsplittableTextError,
    check_mastodon,
    check_x,
    split_thread,
)
from chorus.publishing.rules.tests.splitting_support import (
    assert_cuts_are_clean,
    assert_parts_fit,
    assert_reconstructs,
)

THREADED = [Network.X, Network.BLUESKY, Network.MASTODON, Network.THREADS]
SENTENCES = " ".join(
    f"Sentence number {number} tells a short story about publishing everywhere."
    for number in range(1, 25)
)
FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466"


@pytest.mark.parametrize("network", THREADED)
def test_it_returns_nothing_for_blank_text(network):
    assert split_thread(" \n\t ", network, numbering=True) == []


@pytest.mark.parametrize("network", THREADED)
def test_it_keeps_a_text_that_fits_whole_and_unnumbered(network):
    (part,) = split_thread("  Hello world.  ", network, numbering=True)
    assert (part.text, part.start, part.end) == ("Hello world.", 2, 14)


@pytest.mark.parametrize("network", THREADED)
def test_it_cuts_at_sentence_ends(network):
    parts = split_thread(SENTENCES, network)
    assert len(parts) > 1
    assert all(part.text.endswith("everywhere.") for part in parts)
    assert_reconstructs(SENTENCES, parts, numbering=False)
    assert_parts_fit(network, parts)


def test_it_fills_parts_rather_than_stopping_at_an_early_sentence():
    text = "Hi. " + " ".join(["word"] * 200)
    first = split_thread(text, Network.X)[0]
    assert check_x(first.text).count > 140


def test_it_cuts_between_words_when_there_is_no_sentence_end():
    text = " ".join(f"word{number}" for number in range(300))
    parts = split_thread(text, Network.X)
    for part in parts:
        assert part.end == len(text) or text[part.end] == " "
    assert_parts_fit(Network.X, parts)


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("lo", ["ຂ້ອຍ", "ຮັກ", "ພາສາ", "ລາວ", "ຫຼາຍ"]),
        ("th", ["สวัสดี", "ครับ", "ทุก", "คน", "วัน", "นี้", "อากาศ", "ดี", "มาก"]),
    ],
)
@pytest.mark.parametrize("network", THREADED)
def test_it_cuts_lao_and_thai_between_dictionary_words(network, language, words):
    text = "".join(words) * 60  # no spaces at all, as Lao and Thai are written
    word_ends = set()
    position = 0
    for word in words * 60:
        position += len(word)
        word_ends.add(position)
    parts = split_thread(text, network, language=language)
    assert len(parts) > 1
    assert {part.end for part in parts} <= word_ends
    assert_reconstructs(text, parts, numbering=False)
    assert_cuts_are_clean(text, parts)
    assert_parts_fit(network, parts)


def test_it_cuts_chinese_between_characters_but_not_before_closing_punctuation():
    text = "故人西辞黄鹤楼，烟花三月下扬州。孤帆远影碧空尽，唯见长江天际流。" * 10
    parts = split_thread(text, Network.X, language="zh")
    assert len(parts) > 1
    for part in parts[:-1]:
        assert text[part.end] not in "，。"
    assert_parts_fit(Network.X, parts)


@pytest.mark.parametrize("network", THREADED)
def test_it_never_cuts_an_emoji_zwj_sequence(network):
    text = FAMILY * 400
    parts = split_thread(text, network)
    assert all(part.start % len(FAMILY) == 0 and part.end % len(FAMILY) == 0 for part in parts)
    assert_parts_fit(network, parts)


@pytest.mark.parametrize("network", THREADED)
def test_it_never_cuts_a_url(network):
    url = "https://example.com/articles/2026/a-long-path-that-must-stay-whole?with=query"
    text = " ".join(["lorem"] * 40 + [url] + ["ipsum"] * 100)
    parts = split_thread(text, network)
    assert any(url in part.text for part in parts)
    assert_cuts_are_clean(text, parts)


def test_it_numbers_parts_within_the_limit():
    parts = split_thread(SENTENCES * 3, Network.X, numbering=True)
    total = len(parts)
    assert total >= 10
    for index, part in enumerate(parts, start=1):
        assert part.text.endswith(f" {index}/{total}")
        assert check_x(part.text).ok
    assert_reconstructs(SENTENCES * 3, parts, numbering=True)


def test_it_refuses_a_link_too_long_for_any_post():
    url = "https://example.com/" + "a" * 400
    with pytest.raises(UnsplittableTextError) as raised:
        split_thread("Read " + url + " now", Network.BLUESKY)
    error = raised.value.error
    assert error.code is ErrorCode.UNSPLITTABLE
    assert (error.start, error.end) == (5, 5 + len(url))
    assert error.params == {"count": len(url), "limit": 300}


def test_it_counts_a_long_link_as_23_on_x_and_mastodon():
    url = "https://example.com/" + "a" * 400
    for network in (Network.X, Network.MASTODON):
        (part,) = split_thread("Read " + url + " now", network)
        assert url in part.text


def test_it_applies_the_instance_limit_and_the_content_warning_to_every_part():
    parts = split_thread(SENTENCES, Network.MASTODON, mastodon_limit=200, content_warning="CW")
    assert len(parts) > 4
    for part in parts:
        assert check_mastodon(part.text, limit=200, content_warning="CW").ok


def test_it_refuses_a_content_warning_that_leaves_no_room():
    with pytest.raises(UnsplittableTextError) as raised:
        split_thread(SENTENCES, Network.MASTODON, content_warning="w" * 501)
    assert raised.value.error.field is Field.CONTENT_WARNING


def test_it_never_cuts_a_remote_mention_even_inside_a_long_word():
    mention = "@someone@mastodon.example"
    text = "x" * 480 + "(" + mention + ")" + "y" * 480  # no word boundary anywhere
    parts = split_thread(text, Network.THREADS)
    assert any(mention in part.text for part in parts)
    assert_cuts_are_clean(text, parts)


def test_it_only_splits_for_networks_that_have_threads():
    with pytest.raises(ValueError, match="linkedin"):
        split_thread(SENTENCES, Network.LINKEDIN)
