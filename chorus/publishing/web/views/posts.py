"""Posts of a workspace: the list with filters, and one post with its delivery log and
revisions. The delivery part refreshes itself while the post is on its way out."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from chorus.orgs import policy
from chorus.orgs.models import Workspace
from chorus.orgs.policy import rule
from chorus.publishing import states
from chorus.publishing.models import Delivery, Post, PostRevision, PostState, Tag
from chorus.publishing.web import badges, previews
from chorus.publishing.web.draft import is_id, network_label
from chorus.publishing.web.views.lookup import post_in
from chorus.web import scope

PAGE_SIZE = 25
# While a post is in these states its deliveries change on their own: the page polls.
LIVE = (PostState.SCHEDULED, PostState.PUBLISHING)


@dataclass
class DeliveryRow:
    delivery: Delivery
    badge: str
    network: str


@dataclass
class RevisionRow:
    revision: PostRevision
    content: dict[str, Any]
    accounts: list[str]


@rule("post.view")
@login_required
@require_GET
def post_list(request: HttpRequest, org_slug: str, ws_slug: str) -> HttpResponse:
    ws = scope.workspace(request, org_slug, ws_slug, "post.view")
    filters = {k: request.GET.get(k, "") for k in ("state", "account", "campaign", "tag")}
    posts = _filtered(ws, filters).prefetch_related("deliveries__account", "tags")
    page = Paginator(posts.select_related("campaign", "author"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = urlencode({k: v for k, v in filters.items() if v})
    rows = [
        {
            "post": p,
            "badge": badges.post_badge(p.state),
            "networks": sorted({network_label(d.network) for d in p.deliveries.all()}),
        }
        for p in page.object_list
    ]
    return render(
        request,
        "publishing/post_list.html",
        {
            "org": ws.organisation,
            "workspace": ws,
            "page": page,
            "rows": rows,
            "filters": filters,
            "query": query,
            "states": PostState.choices,
            "accounts": ws.social_accounts.order_by("network", "handle"),
            "campaigns": ws.campaigns.all(),
            "tags": Tag.objects.filter(workspace=ws),
            "can_compose": policy.can(request.user, "post.create", ws),
        },
    )


def _filtered(ws: Workspace, filters: dict[str, str]) -> QuerySet[Post]:
    posts = Post.objects.filter(workspace=ws)
    if filters["state"] in PostState.values:
        posts = posts.filter(state=filters["state"])
    else:
        filters["state"] = ""
    if is_id(filters["account"]):
        posts = posts.filter(deliveries__account_id=int(filters["account"]))
    else:
        filters["account"] = ""
    if is_id(filters["campaign"]):
        posts = posts.filter(campaign_id=int(filters["campaign"]))
    else:
        filters["campaign"] = ""
    tag = filters["tag"].replace("\x00", "")[:60]
    filters["tag"] = tag
    if tag:
        posts = posts.filter(tags__name=tag)
    return posts.distinct().order_by("-created_at", "-pk")


@rule("post.view")
@login_required
@require_GET
def detail(request: HttpRequest, org_slug: str, ws_slug: str, post_id: int) -> HttpResponse:
    ws = scope.workspace(request, org_slug, ws_slug, "post.view")
    post = post_in(request, ws, post_id, "post.view")
    handles = dict(ws.social_accounts.values_list("pk", "handle"))
    revisions = [
        RevisionRow(r, r.content, [handles.get(i, f"#{i}") for i in r.content.get("accounts", [])])
        for r in post.revisions.select_related("author")
        if isinstance(r.content, dict)
    ]
    context = {
        **_deliveries_context(request, ws, post),
        "variants": [(network_label(v.network), v) for v in post.variants.all()],
        "media": [
            previews.media_view(ws, m.asset, m.alt_text) for m in post.media.select_related("asset")
        ],
        "tags": [t.name for t in post.tags.all()],
        "revisions": revisions,
    }
    return render(request, "publishing/post_detail.html", context)


@rule("post.view")
@login_required
@require_GET
def deliveries(request: HttpRequest, org_slug: str, ws_slug: str, post_id: int) -> HttpResponse:
    """The delivery log alone, for the page's polling (and the post's state, out of band)."""
    ws = scope.workspace(request, org_slug, ws_slug, "post.view")
    post = post_in(request, ws, post_id, "post.view")
    context = {**_deliveries_context(request, ws, post), "oob": True}
    return render(request, "publishing/_deliveries.html", context)


def _deliveries_context(request: HttpRequest, ws: Workspace, post: Post) -> dict[str, Any]:
    rows = [
        DeliveryRow(d, badges.delivery_badge(d.state), network_label(d.network))
        for d in post.deliveries.select_related("account").prefetch_related("log").order_by("pk")
    ]
    return {
        "org": ws.organisation,
        "workspace": ws,
        "post": post,
        "badge": badges.post_badge(post.state),
        "rows": rows,
        "live": post.state in LIVE,
        "can_publish": policy.can(request.user, "post.publish", ws),
        "can_edit": post.state in states.EDITABLE and policy.can(request.user, "post.create", ws),
        "can_approve": policy.can(request.user, "post.approve", ws),
        "user_zone": getattr(request.user, "time_zone", "") or "UTC",
    }
