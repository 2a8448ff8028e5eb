"""Emoji extents, as X (v3) and Threads need them."""

from __future__ import annotations

import pytest

from chorus.publishing.rules.emoji import emoji_spans, is_emoji


@pytest.mark.parametrize(
    "text",
    [
        "\U0001f600",  # 😀
        "\U0001f468\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466",  # family
        "\U0001f3f3\ufe0f\u200d\u26a7\ufe0f",  # transgender flag
        "\U0001f1f1\U0001f1e6",  # flag of Laos
        "\U0001f3f4\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f",  # England
        "\U0001f44d\U0001f3fd",  # thumbs up, medium skin tone
        "1\ufe0f\u20e3",  # keycap
        "1\u20e3",
        "\u263a\ufe0f",  # text-default smiley asked to be a picture
        "\U0001f441\u200d\U0001f5e8",  # eye in speech bubble, no VS16
    ],
)
def test_it_sees_one_emoji(text):
    assert is_emoji(text)
    assert emoji_spans(text) == [(0, len(text))]


@pytest.mark.parametrize("text", ["a", "©", "\u263a", "#", "1", "\u263a\ufe0e", "ສ"])
def test_it_leaves_text_presentation_symbols_alone(text):
    assert not is_emoji(text)


def test_it_finds_each_emoji_in_text():
    text = "hi \U0001f1f1\U0001f1e6\U0001f1f1 ok \U0001f44d"
    assert [text[start:end] for start, end in emoji_spans(text)] == [
        "\U0001f1f1\U0001f1e6",
        "\U0001f1f1",
        "\U0001f44d",
    ]
