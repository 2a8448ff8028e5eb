"""Building posts and deliveries for tests without going through the composer."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from chorus.orgs.models import SocialAccount, Workspace
from chorus.publishing.models import Delivery, DeliveryState, Post, PostState, PostVariant


def webhook_account(
    workspace: Workspace, credentials: dict[str, Any], name: str = "hook"
) -> SocialAccount:
    return SocialAccount.objects.create(
        workspace=workspace,
        network="webhook",
        remote_id=name,
        handle=name,
        credentials=credentials,
    )


def due_post(
    accounts: list[SocialAccount],
    text: str = "Hello",
    *,
    when: datetime | None = None,
    thread: list[str] | None = None,
    first_comment: str = "",
) -> Post:
    workspace = accounts[0].workspace
    when = when or timezone.now() - timedelta(seconds=1)
    post = Post.objects.create(
        workspace=workspace,
        text=text,
        first_comment=first_comment,
        state=PostState.SCHEDULED,
        scheduled_at=when,
        time_zone="UTC",
    )
    if thread:
        for network in {a.network for a in accounts}:
            PostVariant.objects.create(post=post, network=network, thread=thread)
    for account in accounts:
        Delivery.objects.create(
            post=post,
            account=account,
            network=account.network,
            state=DeliveryState.SCHEDULED,
            scheduled_for=when,
            due_at=when,
        )
    return post
