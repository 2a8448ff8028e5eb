"""Counting clicks on short links: people only, not crawlers or link previews.

Known bots are recognised by CrawlerDetect's user-agent patterns (a maintained list of
well over a thousand crawlers, link expanders and HTTP libraries: Slackbot, Twitterbot,
facebookexternalhit, Discordbot, TelegramBot, WhatsApp, LinkedInBot, Googlebot, curl...).
A few preview fetchers it does not know yet are added here. A request without a
user agent is not counted either: every browser sends one.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from crawlerdetect import CrawlerDetect
from django.db import transaction
from django.db.models import Count, F
from django.db.models.functions import TruncDate
from django.http import HttpRequest
from django.utils import timezone

from chorus.links.models import LinkClick, ShortLink

_DETECTOR = CrawlerDetect()
# Fetchers missing from CrawlerDetect's list (checked against 0.4.2): Bluesky's link-card
# service and Meta's crawler.
_MORE_BOTS = re.compile(r"cardyb|meta-externalagent", re.I)
# Browsers announce speculative loads (prerender, link prefetch) that no one clicked.
_PREFETCH = re.compile(r"prefetch|prerender", re.I)
MAX_USER_AGENT = 1000
MAX_HOST = 255


def is_bot(user_agent: str) -> bool:
    user_agent = user_agent.strip()[:MAX_USER_AGENT]
    if not user_agent:
        return True
    return _MORE_BOTS.search(user_agent) is not None or _DETECTOR.is_crawler(user_agent)


def counts(request: HttpRequest) -> bool:
    """Whether this request to a short link is a click by a person."""
    if request.method != "GET":
        return False  # HEAD: link checkers and preview fetchers look without clicking
    purpose = request.headers.get("Sec-Purpose", "") + request.headers.get("Purpose", "")
    if _PREFETCH.search(purpose):
        return False
    return not is_bot(request.headers.get("User-Agent", ""))


def referrer_host(request: HttpRequest) -> str:
    referrer = request.headers.get("Referer", "")
    try:
        host = urlsplit(referrer).hostname or ""
    except ValueError:
        return ""
    return host[:MAX_HOST].replace("\x00", "")


def record_click(link: ShortLink, *, referrer: str = "") -> None:
    """One more click: the row for reports by day, and the running total, together."""
    with transaction.atomic():
        LinkClick.objects.create(
            link=link, clicked_at=timezone.now(), referrer_host=referrer[:MAX_HOST]
        )
        # F() adds in the database, so simultaneous clicks are all counted.
        ShortLink.objects.filter(pk=link.pk).update(
            click_count=F("click_count") + 1, last_clicked_at=timezone.now()
        )


def daily_counts(
    link: ShortLink, *, since: date | None = None, until: date | None = None
) -> list[dict[str, Any]]:
    """Clicks per day in the workspace's time zone, oldest first; days without clicks
    are left out. ``since`` and ``until`` are inclusive local dates."""
    zone = ZoneInfo(link.workspace.time_zone)
    days = LinkClick.objects.filter(link=link).annotate(day=TruncDate("clicked_at", tzinfo=zone))
    if since is not None:
        days = days.filter(day__gte=since)
    if until is not None:
        days = days.filter(day__lte=until)
    rows = days.values("day").annotate(clicks=Count("pk")).order_by("day")
    return [{"date": row["day"], "clicks": row["clicks"]} for row in rows]
