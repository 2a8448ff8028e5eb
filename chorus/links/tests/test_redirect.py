"""/l/<code>: redirects everyone, counts people, never errors."""

from __future__ import annotations

import threading

import pytest
from django.db import close_old_connections, connection
from django.test import Client

from chorus.links.clicks import is_bot, record_click
from chorus.links.models import LinkClick

pytestmark = pytest.mark.django_db

BROWSER = (
    "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0 Mobile Safari/537.36"
)
BOTS = [
    "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
    "Twitterbot/1.0",
    "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
    "Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)",
    "TelegramBot (like TwitterBot)",
    "WhatsApp/2.23.20.0",
    "LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)",
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "curl/8.5.0",
    "Mastodon/4.2.0 (http.rb/5.1.1; +https://mastodon.social/) Bot",
    "Mozilla/5.0 (compatible; Bluesky Cardyb/1.1; +mailto:support@bsky.app)",
    "",
]


@pytest.fixture
def link(tenants):
    return tenants.short_link


def _follow(client, link, **headers):
    return client.get(f"/l/{link.code}", **headers)


def test_it_redirects_and_counts_a_person(client, link):
    response = _follow(client, link, HTTP_USER_AGENT=BROWSER, HTTP_REFERER="https://m.example/@a/1")
    assert response.status_code == 302
    assert response["Location"] == link.target_url
    assert "no-store" in response["Cache-Control"]
    link.refresh_from_db()
    assert link.click_count == 1 and link.last_clicked_at is not None
    click = LinkClick.objects.get(link=link)
    assert click.referrer_host == "m.example"


@pytest.mark.parametrize("agent", BOTS)
def test_bots_and_previews_are_sent_on_but_not_counted(client, link, agent):
    assert is_bot(agent)
    response = _follow(client, link, HTTP_USER_AGENT=agent)
    assert response.status_code == 302
    link.refresh_from_db()
    assert link.click_count == 0
    assert not LinkClick.objects.exists()


def test_head_requests_and_prefetches_are_not_counted(client, link):
    assert client.head(f"/l/{link.code}", HTTP_USER_AGENT=BROWSER).status_code == 302
    assert (
        _follow(client, link, HTTP_USER_AGENT=BROWSER, HTTP_SEC_PURPOSE="prefetch").status_code
        == 302
    )
    link.refresh_from_db()
    assert link.click_count == 0


def test_other_methods_are_refused(client, link):
    assert client.post(f"/l/{link.code}").status_code == 405
    link.refresh_from_db()
    assert link.click_count == 0


def test_a_browser_is_not_a_bot():
    assert not is_bot(BROWSER)
    assert not is_bot("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15")


@pytest.mark.parametrize(
    "path",
    [
        "/l/nope123",
        "/l/acmemx1",  # codes are case-sensitive
        "/l/%00",
        "/l/a%00b",
        "/l/" + "x" * 5000,
        "/l/ສະບາຍດີ",
        "/l/%FF%FE",
        "/l/a.b",
        "/l/'%20OR%201=1--",
    ],
)
def test_unknown_codes_get_a_not_found_page(client, tenants, path):
    response = client.get(path, HTTP_USER_AGENT=BROWSER)
    assert response.status_code == 404
    assert b"This link does not exist" in response.content
    assert not LinkClick.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_simultaneous_clicks_are_all_counted(tenants):
    link = tenants.short_link
    threads, per_thread = 4, 5
    errors: list[BaseException] = []

    def click() -> None:
        try:
            for _ in range(per_thread):
                record_click(link, referrer="example.org")
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    workers = [threading.Thread(target=click) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert errors == []
    link.refresh_from_db()
    assert link.click_count == threads * per_thread == LinkClick.objects.filter(link=link).count()


def test_clients_without_a_session_are_fine(tenants):
    # No cookies, no CSRF token: a visitor from a social network.
    response = Client(enforce_csrf_checks=True).get(
        f"/l/{tenants.short_link.code}", HTTP_USER_AGENT=BROWSER
    )
    assert response.status_code == 302
