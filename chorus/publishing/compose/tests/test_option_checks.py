from __future__ import annotations

from typing import Any

import pytest

from chorus.orgs.models import SocialAccount
from chorus.publishing.compose.option_checks import check_options


def codes(network: str, options: dict[str, Any], account: Any = None, media: bool = False):
    return [
        (p.field.rsplit(".", 1)[-1], p.code)
        for p in check_options(network, options, account, has_media=media)
    ]


@pytest.mark.parametrize("value", ["en", "lo", "pt-BR", "en, lo, th", "zh-Hant"])
def test_bluesky_takes_up_to_three_language_codes(value: str) -> None:
    assert codes("bluesky", {"language": value}) == []


@pytest.mark.parametrize("value", ["english", "en;lo", "e", "en,lo,th,fr"])
def test_bluesky_refuses_other_language_values(value: str) -> None:
    assert codes("bluesky", {"language": value}) == [("language", "invalid_option")]


def test_mastodon_takes_one_language() -> None:
    assert codes("mastodon", {"language": "lo"}) == []
    assert codes("mastodon", {"language": "en,lo"}) == [("language", "invalid_option")]


@pytest.mark.parametrize(
    "value, ok",
    [
        ("everyone", True),
        ("nobody", True),
        ("mentioned,following", True),
        ("followers", True),
        ("nobody,mentioned", False),
        ("friends", False),
    ],
)
def test_reply_controls(value: str, ok: bool) -> None:
    assert (codes("bluesky", {"reply_control": value}) == []) is ok


@pytest.mark.parametrize(
    "value, ok",
    [
        ("https://bsky.app/profile/alice.test/post/3kabc2defgh2x", True),
        ("at://did:plc:abc/app.bsky.feed.post/3kabc2defgh2x", True),
        ("https://example.com/post/1", False),
        ("at://did:plc:abc/app.bsky.feed.like/3kabc", False),
    ],
)
def test_quotes_name_a_bluesky_post(value: str, ok: bool) -> None:
    assert (codes("bluesky", {"quote": value}) == []) is ok


def test_a_poll_follows_the_instances_own_limits() -> None:
    poll = {"poll_options": "Tea\nCoffee", "poll_expires_in": 3600}
    assert codes("mastodon", poll) == []
    assert codes("mastodon", {**poll, "poll_options": "Only one"}) == [
        ("poll_options", "invalid_option")
    ]
    five = "\n".join("abcde")
    assert codes("mastodon", {**poll, "poll_options": five}) == [("poll_options", "invalid_option")]
    roomy = SocialAccount(
        network="mastodon",
        credentials={"instance": {"configuration": {"polls": {"max_options": 8}}}},
    )
    assert codes("mastodon", {**poll, "poll_options": five}, roomy) == []
    assert codes("mastodon", {**poll, "poll_options": "a\n" + "b" * 51}) == [
        ("poll_options", "invalid_option")
    ]
    assert codes("mastodon", {**poll, "poll_expires_in": 60}) == [
        ("poll_expires_in", "invalid_option")
    ]
    assert codes("mastodon", poll, media=True) == [("poll_options", "invalid_option")]
    assert codes("mastodon", {**poll, "poll_options": "Tea\nTea"}) == [
        ("poll_options", "invalid_option")
    ]


def test_other_networks_have_no_option_checks_here() -> None:
    assert codes("x", {"language": "not a code"}) == []
