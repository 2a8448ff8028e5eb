"""Finding a workspace's own post or account named in a URL. An id from another workspace
or organisation is simply not found, so it reveals nothing."""

from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from chorus.orgs import policy
from chorus.orgs.models import SocialAccount, Workspace
from chorus.publishing.models import Post


def post_in(request: HttpRequest, ws: Workspace, post_id: int, action: str) -> Post:
    post = get_object_or_404(Post.objects.select_related("workspace"), pk=post_id, workspace=ws)
    policy.authorize(request.user, action, post)
    return post


def account_in(request: HttpRequest, ws: Workspace, account_id: int, action: str) -> SocialAccount:
    account = get_object_or_404(SocialAccount, pk=account_id, workspace=ws)
    policy.authorize(request.user, action, account)
    return account
