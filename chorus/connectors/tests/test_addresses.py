from __future__ import annotations

import pytest

from chorus.connectors.addresses import NotPublic, check_public, is_loopback


@pytest.mark.parametrize(
    ("url", "loopback"),
    [
        ("http://localhost:2583", True),
        ("http://LOCALHOST.", True),
        ("http://pds.localhost", True),
        ("http://127.0.0.1:9", True),
        ("http://127.8.9.10", True),
        ("http://[::1]:8080", True),
        ("http://10.0.0.1", False),
        ("http://localhost.example.com", False),
        ("https://bsky.social", False),
        ("not a url", False),
    ],
)
def test_loopback_hosts(url: str, loopback: bool) -> None:
    assert is_loopback(url) is loopback


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:2583",
        "http://localhost:2583",
        "https://[::1]",
        "https://10.0.0.1",
        "https://172.16.5.4",
        "https://192.168.1.1",
        "https://169.254.169.254/latest/meta-data",
        "https://[fe80::1]",
        "https://[fd00::1]",
        "https://100.64.0.1",  # carrier-grade NAT
        "https://0.0.0.0",
        "https://240.0.0.1",  # reserved
    ],
)
def test_private_and_reserved_addresses_are_refused(settings, url: str) -> None:
    settings.CHORUS_CONNECT_PRIVATE = False
    with pytest.raises(NotPublic) as raised:
        check_public(url)
    assert raised.value.code == "private_address"
    assert "CHORUS_CONNECT_PRIVATE" in raised.value.message


def test_public_addresses_pass(settings) -> None:
    settings.CHORUS_CONNECT_PRIVATE = False
    check_public("https://8.8.8.8")
    check_public("https://[2606:4700:4700::1111]:443")


def test_private_addresses_pass_when_the_installation_allows_them(settings) -> None:
    settings.CHORUS_CONNECT_PRIVATE = True
    check_public("http://127.0.0.1:2583")
    check_public("https://10.0.0.1")


def test_a_host_nobody_knows_is_named(settings) -> None:
    settings.CHORUS_CONNECT_PRIVATE = False
    with pytest.raises(NotPublic) as raised:
        check_public("https://nothing-here.invalid")
    assert raised.value.code == "unknown_host"
    assert "nothing-here.invalid" in raised.value.message


@pytest.mark.parametrize("url", ["ftp://example.com", "https://", "mailto:someone@example.com"])
def test_what_is_no_server_address_is_refused(settings, url: str) -> None:
    settings.CHORUS_CONNECT_PRIVATE = False
    with pytest.raises(NotPublic) as raised:
        check_public(url)
    assert raised.value.code == "invalid_url"


def test_the_error_is_a_value_error(settings) -> None:
    settings.CHORUS_CONNECT_PRIVATE = False
    with pytest.raises(ValueError):
        check_public("https://10.0.0.1")
