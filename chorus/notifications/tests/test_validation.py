from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from chorus.notifications.validation import clean_events, clean_language, clean_url


def _error(exc: pytest.ExceptionInfo[ValidationError], field: str) -> str:
    return " ".join(exc.value.message_dict[field])


@pytest.mark.parametrize(
    "url",
    [
        "slack://T1JJ3T3L2/A1BRTD4JD/TIiajkdnlazkcOXrIdevi7FQ",
        "mailtos://robot:app-password@example.com?to=team@example.com",
        "tgram://123456789:abcdefg_hijklmnop/-1001234567",
        "json://127.0.0.1:8080/hook",
        "  jsons://hooks.example.com/path  ",
    ],
)
def test_it_accepts_urls_apprise_can_read(url: str) -> None:
    assert clean_url(url) == url.strip()


def test_it_names_an_unknown_service() -> None:
    with pytest.raises(ValidationError) as exc:
        clean_url("slak://T1/B2/C3")
    assert "no service called “slak://”" in _error(exc, "url")


def test_it_says_when_a_known_service_url_is_incomplete() -> None:
    with pytest.raises(ValidationError) as exc:
        clean_url("slack://only-one-token")
    assert "cannot read this slack:// URL" in _error(exc, "url")


def test_it_wants_a_scheme() -> None:
    with pytest.raises(ValidationError) as exc:
        clean_url("hooks.slack.com/services/T1/B2/C3")
    assert "needs a service scheme" in _error(exc, "url")


def test_it_refuses_services_that_notify_the_server_itself() -> None:
    with pytest.raises(ValidationError) as exc:
        clean_url("syslog://")
    assert "notifies the server Chorus runs on" in _error(exc, "url")


@pytest.mark.parametrize("url", ["", "   ", "json://" + "a" * 2001])
def test_it_refuses_empty_and_overlong_urls(url: str) -> None:
    with pytest.raises(ValidationError) as exc:
        clean_url(url)
    assert _error(exc, "url")


def test_it_keeps_events_in_a_fixed_order_once_each() -> None:
    assert clean_events(["daily_summary", "post_failed", "daily_summary"]) == [
        "post_failed",
        "daily_summary",
    ]


@pytest.mark.parametrize(("events", "words"), [([], "at least one"), (["x"], "Unknown event")])
def test_it_refuses_no_or_unknown_events(events: list[str], words: str) -> None:
    with pytest.raises(ValidationError) as exc:
        clean_events(events)
    assert words in _error(exc, "events")


def test_it_offers_the_interface_languages() -> None:
    assert clean_language("lo") == "lo"
    with pytest.raises(ValidationError) as exc:
        clean_language("fr")
    assert "en, lo" in _error(exc, "language")
