"""The buttons of the post page: each a POST that does one thing and comes back to the
page with what happened (or why it could not)."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chorus.orgs import policy
from chorus.orgs.models import Workspace
from chorus.orgs.policy import rule
from chorus.publishing import states
from chorus.publishing.models import Delivery, Post
from chorus.publishing.scheduling.errors import ScheduleError
from chorus.publishing.web import perform
from chorus.publishing.web.views.lookup import post_in
from chorus.web import scope


def _act(
    request: HttpRequest,
    org_slug: str,
    ws_slug: str,
    post_id: int,
    action: str,
    do: Callable[[Post], str],
) -> HttpResponse:
    ws = scope.workspace(request, org_slug, ws_slug, action)
    post = post_in(request, ws, post_id, action)
    try:
        done = do(post)
    except ScheduleError as error:
        messages.error(request, error.message)
    except states.TransitionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done)
    return redirect(_back(request, ws, post))


def _back(request: HttpRequest, ws: Workspace, post: Post) -> str:
    # An external approver may approve a post without seeing the post pages.
    if policy.can(request.user, "post.view", ws):
        return reverse("web:post", args=(ws.organisation.slug, ws.slug, post.pk))
    return reverse("web:home")


@rule("post.publish")
@login_required
@require_POST
def publish_now(request: HttpRequest, org_slug: str, ws_slug: str, post_id: int) -> HttpResponse:
    def do(post: Post) -> str:
        perform.publish_now(post, request.user)
        return _("Publishing now.")

    return _act(request, org_slug, ws_slug, post_id, "post.publish", do)


@rule("post.publish")
@login_required
@require_POST
def unschedule(request: HttpRequest, org_slug: str, ws_slug: str, post_id: int) -> HttpResponse:
    def do(post: Post) -> str:
        perform.unschedule(post)
        return _("The post is a draft again; nothing will go out until it is scheduled.")

    return _act(request, org_slug, ws_slug, post_id, "post.publish", do)


@rule("post.publish")
@login_required
@require_POST
def cancel(request: HttpRequest, org_slug: str, ws_slug: str, post_id: int) -> HttpResponse:
    def do(post: Post) -> str:
        perform.cancel(post)
        return _("Cancelled. Nothing more will go out; what was already published stays.")

    return _act(request, org_slug, ws_slug, post_id, "post.publish", do)


@rule("post.create")
@login_required
@require_POST
def submit(request: HttpRequest, org_slug: str, ws_slug: str, post_id: int) -> HttpResponse:
    def do(post: Post) -> str:
        perform.submit(post)
        return _("Submitted for approval.")

    return _act(request, org_slug, ws_slug, post_id, "post.create", do)


@rule("post.approve")
@login_required
@require_POST
def approve(request: HttpRequest, org_slug: str, ws_slug: str, post_id: int) -> HttpResponse:
    def do(post: Post) -> str:
        perform.approve(post)
        if post.state == states.S.SCHEDULED:
            return _("Approved and scheduled for %(time)s.") % {"time": perform.local_label(post)}
        return _("Approved. It can now be scheduled.")

    return _act(request, org_slug, ws_slug, post_id, "post.approve", do)


@rule("post.approve")
@login_required
@require_POST
def reject(request: HttpRequest, org_slug: str, ws_slug: str, post_id: int) -> HttpResponse:
    def do(post: Post) -> str:
        perform.reject(post)
        return _("Sent back to its author as a draft.")

    return _act(request, org_slug, ws_slug, post_id, "post.approve", do)


@rule("post.publish")
@login_required
@require_POST
def retry(
    request: HttpRequest, org_slug: str, ws_slug: str, post_id: int, delivery_id: int
) -> HttpResponse:
    def do(post: Post) -> str:
        delivery = get_object_or_404(
            Delivery.objects.select_related("account"), pk=delivery_id, post=post
        )
        if not perform.retry(delivery):
            raise ScheduleError(
                "not_failed", "delivery", _("Only a failed delivery can be tried again.")
            )
        return _("%(account)s will be tried again now.") % {"account": delivery.account.handle}

    return _act(request, org_slug, ws_slug, post_id, "post.publish", do)
