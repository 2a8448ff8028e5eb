from __future__ import annotations

import pytest

from chorus.connectors.mastodon.client import api, is_loopback


@pytest.mark.parametrize(
    ("announced", "parsed"),
    [
        ("4.6.4", (4, 6, 4)),
        ("4.3.0+glitch", (4, 3, 0)),
        ("4.4.0-beta.2", (4, 4, 0)),
        ("3.0.0 (compatible; Pleroma 2.5.0)", (3, 0, 0)),
        ("2.7", (2, 7, 0)),
        ("", (4, 0, 0)),
        ("nonsense", (4, 0, 0)),
    ],
)
def test_the_announced_version_picks_the_endpoints(announced, parsed) -> None:
    client = api("https://mastodon.example", version=announced)
    assert (client.mastodon_major, client.mastodon_minor, client.mastodon_patch) == parsed
    assert client.ratelimit_method == "throw"


def test_loopback_hosts() -> None:
    assert is_loopback("http://127.0.0.1:3000")
    assert is_loopback("http://localhost")
    assert is_loopback("http://[::1]:8080")
    assert not is_loopback("http://mastodon.social")
    assert not is_loopback("http://127.0.0.1.nip.io")
