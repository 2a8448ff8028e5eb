"""Posts: compose, check without saving, list a calendar range, edit, revisions."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.params import PathEx
from ninja.responses import Status

from chorus.api.lookup import caller, get_or_404, token
from chorus.api.schemas.common import NO_NUL_PATTERN, UtcDatetime, id_param, responses
from chorus.orgs import policy
from chorus.orgs.models import Workspace
from chorus.orgs.policy import rule
from chorus.publishing.api.inputs import post_input
from chorus.publishing.api.schemas import (
    PostIn,
    PostOut,
    PostPatch,
    RevisionOut,
    ValidationOut,
)
from chorus.publishing.api.serialize import post_out
from chorus.publishing.compose import service
from chorus.publishing.models import Post, PostState

router = Router(tags=["Posts"])

WorkspaceId = PathEx[int, id_param("The workspace's id.")]
PostId = PathEx[int, id_param("The post's id.")]
MAX_RANGE_POSTS = 2000


def workspace_for(request: HttpRequest, workspace_id: int, action: str) -> Workspace:
    workspace = get_or_404(Workspace, workspace_id, "organisation")
    policy.authorize(caller(request), action, workspace, token=token(request))
    return workspace


def post_for(request: HttpRequest, post_id: int, action: str) -> Post:
    post = get_or_404(Post, post_id, "workspace__organisation")
    policy.authorize(caller(request), action, post, token=token(request))
    return post


class CalendarFilter(Schema):
    start: UtcDatetime | None = None
    end: UtcDatetime | None = None
    state: list[PostState] | None = None
    account_id: int | None = None
    campaign_id: int | None = None
    tag: str | None = Field(
        default=None, max_length=60, pattern=NO_NUL_PATTERN, description="Only posts with this tag."
    )


@router.post(
    "/workspaces/{workspace_id}/posts/validate",
    response=responses({200: ValidationOut}),
    summary="Check a post without saving it",
)
@rule("post.create")
def validate_post(request: HttpRequest, workspace_id: WorkspaceId, payload: PostIn) -> Any:
    """Every problem at once, as each target network counts, with the character span of
    the offending text, and the counters (count / limit) per network."""
    workspace = workspace_for(request, workspace_id, "post.create")
    report = service.check(workspace, post_input(payload))
    return {
        "ok": report.ok,
        "problems": [p.as_dict() for p in report.problems],
        "counters": [c.as_dict() for c in report.counters],
    }


@router.post(
    "/workspaces/{workspace_id}/posts",
    response=responses({201: PostOut}),
    summary="Create a post (a draft)",
)
@rule("post.create")
def create_post(request: HttpRequest, workspace_id: WorkspaceId, payload: PostIn) -> Status[Any]:
    workspace = workspace_for(request, workspace_id, "post.create")
    post = service.create_post(workspace, caller(request), post_input(payload))
    return Status(201, post_out(post))


@router.get(
    "/workspaces/{workspace_id}/posts",
    response=responses({200: list[PostOut]}),
    summary="List posts in a time range (the calendar)",
)
@rule("post.view")
def list_posts(
    request: HttpRequest, workspace_id: WorkspaceId, filters: Query[CalendarFilter]
) -> Any:
    """Posts scheduled (or published) between `start` and `end`, plus unscheduled drafts
    when no range is given. At most 2,000; narrow the range for more."""
    workspace = workspace_for(request, workspace_id, "post.view")
    posts: QuerySet[Post] = Post.objects.filter(workspace=workspace)
    if filters.start:
        posts = posts.filter(
            Q(scheduled_at__gte=filters.start) | Q(published_at__gte=filters.start)
        )
    if filters.end:
        posts = posts.filter(Q(scheduled_at__lt=filters.end) | Q(published_at__lt=filters.end))
    if filters.state:
        posts = posts.filter(state__in=filters.state)
    if filters.account_id:
        posts = posts.filter(deliveries__account_id=filters.account_id)
    if filters.campaign_id:
        posts = posts.filter(campaign_id=filters.campaign_id)
    if filters.tag:
        posts = posts.filter(tags__name=filters.tag)
    posts = (
        posts.distinct()
        .order_by("scheduled_at", "pk")
        .prefetch_related("tags", "variants", "media")
    )
    return [post_out(p) for p in posts[:MAX_RANGE_POSTS]]


@router.get("/posts/{post_id}", response=responses({200: PostOut}), summary="Show a post")
@rule("post.view")
def get_post(request: HttpRequest, post_id: PostId) -> Any:
    return post_out(post_for(request, post_id, "post.view"))


@router.patch("/posts/{post_id}", response=responses({200: PostOut}), summary="Edit a post")
@rule("post.create")
def update_post(request: HttpRequest, post_id: PostId, payload: PostPatch) -> Any:
    """Replaces the post's content. Send the `version` you started from: if someone saved
    since, the answer is 422 on `version` and nothing is changed."""
    post = post_for(request, post_id, "post.create")
    post = service.update_post(post, caller(request), post_input(payload), version=payload.version)
    return post_out(post)


@router.delete("/posts/{post_id}", response=responses({204: None}), summary="Delete a post")
@rule("post.create")
def delete_post(request: HttpRequest, post_id: PostId) -> Status[None]:
    """Only posts that never reached a network can be deleted; cancel the others."""
    post = post_for(request, post_id, "post.create")
    if (
        post.state in (PostState.PUBLISHING, PostState.PUBLISHED)
        or post.deliveries.exclude(remote_id="").exists()
    ):
        raise HttpError(
            409, _("This post has reached a network; cancel it instead of deleting it.")
        )
    post.delete()
    return Status(204, None)


@router.get(
    "/posts/{post_id}/revisions",
    response=responses({200: list[RevisionOut]}),
    summary="A post's saved versions",
)
@rule("post.view")
def revisions(request: HttpRequest, post_id: PostId) -> Any:
    post = post_for(request, post_id, "post.view")
    return [
        {
            "version": r.version,
            "author": r.author.email if r.author else None,
            "created_at": r.created_at,
            "content": r.content,
        }
        for r in post.revisions.select_related("author")
    ]
