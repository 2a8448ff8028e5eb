"""Errors are data, and their sentences are rendered in the reader's language."""

from __future__ import annotations

import dataclasses

import pytest
from django.utils import translation

from chorus.publishing.rules import check_bluesky, check_mastodon, check_x
from chorus.publishing.rules.networks import Field, Network, Unit
from chorus.publishing.rules.results import ErrorCode, RuleError


def test_it_renders_the_message_with_its_numbers():
    (error,) = check_x("a" * 281).errors
    with translation.override("en"):
        assert error.message == "The text is too long for X: 281 characters, at most 280."


def test_it_names_bytes_when_bytes_are_the_limit():
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466"  # 25 bytes
    (error,) = check_bluesky(family * 121).errors
    with translation.override("en"):
        assert error.message == "The text is too large for Bluesky: 3025 bytes, at most 3000."


def test_it_says_when_the_content_warning_shares_the_limit():
    (error,) = check_mastodon("b" * 300, content_warning="a" * 300).errors
    with translation.override("en"):
        assert error.message == (
            "The text and the content warning together are too long for Mastodon: "
            "600 characters, at most 500."
        )


def test_it_is_immutable_data():
    error = RuleError(
        code=ErrorCode.TOO_LONG,
        network=Network.X,
        field=Field.TEXT,
        start=0,
        end=1,
        unit=Unit.WEIGHTED,
        params={"count": 2, "limit": 1},
    )
    with pytest.raises(dataclasses.FrozenInstanceError):
        error.start = 3  # type: ignore[misc]
    with pytest.raises(TypeError):
        error.params["count"] = 5  # type: ignore[index]


@pytest.mark.parametrize("code", list(ErrorCode))
def test_it_has_a_message_for_every_code(code):
    error = RuleError(
        code=code,
        network=Network.YOUTUBE,
        field=Field.TITLE,
        start=0,
        end=1,
        unit=Unit.UTF8_BYTES,
        params={
            "count": 2,
            "limit": 1,
            "character": "<",
            "position": 1,
            "mime_type": "image/png",
            "size": "2 MB",
            "max_size": "1 MB",
            "width": 2,
            "height": 1,
            "max_width": 1,
            "max_height": 1,
            "duration": "2",
            "ratio": "2.00:1",
            "min_ratio": "4:5",
            "max_ratio": "1.91:1",
        },
    )
    with translation.override("en"):
        assert "YouTube" in error.message
