"""The link clicks report: short links with their clicks, per post and network."""

from __future__ import annotations

from functools import reduce
from operator import or_
from typing import Any, cast
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Max, Q, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from chorus.api.schemas.common import MAX_ID
from chorus.links.models import ShortLink
from chorus.links.shortlinks import public_prefix
from chorus.orgs import policy
from chorus.orgs.policy import rule
from chorus.publishing.models import Post
from chorus.publishing.rules.networks import Network
from chorus.web import scope

PAGE_SIZE = 50


def network_label(network: str) -> str:
    try:
        return Network(network).label
    except ValueError:
        return network or "—"


def _post_filter(raw: str) -> int | None:
    raw = raw.strip()
    if raw.isdecimal() and 0 < int(raw) <= MAX_ID:
        return int(raw)
    return None


def _groups(links: Any, page_rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The page's (post, network) rows, each with its links, most clicked first."""
    if not page_rows:
        return []
    keys = [
        Q(post__isnull=True, network=row["network"])
        if row["post_id"] is None
        else Q(post_id=row["post_id"], network=row["network"])
        for row in page_rows
    ]
    by_key: dict[tuple[int | None, str], list[ShortLink]] = {}
    for link in links.filter(reduce(or_, keys)).order_by("-click_count", "code"):
        by_key.setdefault((link.post_id, link.network), []).append(link)
    posts = Post.objects.in_bulk([row["post_id"] for row in page_rows if row["post_id"]])
    return [
        {
            **row,
            "post": posts.get(row["post_id"]) if row["post_id"] else None,
            "network_label": network_label(row["network"]),
            "links": by_key.get((row["post_id"], row["network"]), []),
        }
        for row in page_rows
    ]


@rule("report.view")
@login_required
def clicks_report(request: HttpRequest, org_slug: str, ws_slug: str) -> HttpResponse:
    ws = scope.workspace(request, org_slug, ws_slug, "report.view")
    links = ShortLink.objects.filter(workspace=ws)
    networks = sorted(set(links.values_list("network", flat=True)))
    network = request.GET.get("network", "")
    if network not in networks:
        network = ""
    post_id = _post_filter(request.GET.get("post", ""))
    shown = links
    if network:
        shown = shown.filter(network=network)
    if post_id is not None:
        shown = shown.filter(post_id=post_id)
    summary = (
        shown.values("post_id", "network")
        .annotate(
            link_count=Count("pk"), click_total=Sum("click_count"), last=Max("last_clicked_at")
        )
        .order_by("-click_total", "-post_id", "network")
    )
    page = Paginator(summary, PAGE_SIZE).get_page(request.GET.get("page"))
    query = urlencode({k: v for k, v in (("network", network), ("post", post_id or "")) if v})
    return render(
        request,
        "links/report.html",
        {
            "org": ws.organisation,
            "workspace": ws,
            "rows": _groups(shown, cast(list[dict[str, Any]], list(page.object_list))),
            "page": page,
            "query": query,
            "networks": [(n, network_label(n)) for n in networks],
            "network": network,
            "post_id": post_id,
            "total_clicks": shown.aggregate(total=Sum("click_count"))["total"] or 0,
            "prefix": public_prefix(),
            "can_see_presets": policy.can(request.user, "workspace.view", ws),
        },
    )
