"""Posts and deliveries in the states the notifications talk about."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from chorus.orgs.models import SocialAccount, Workspace
from chorus.publishing.models import Delivery, DeliveryState, Post, PostState


def post(workspace: Workspace, text: str, state: str = PostState.DRAFT, **fields: Any) -> Post:
    return Post.objects.create(workspace=workspace, text=text, state=state, **fields)


def delivery(
    post: Post,
    account: SocialAccount,
    state: str,
    *,
    published_at: datetime | None = None,
    remote_url: str = "",
    last_error: str = "",
) -> Delivery:
    return Delivery.objects.create(
        post=post,
        account=account,
        network=account.network,
        state=state,
        published_at=published_at,
        remote_url=remote_url,
        last_error=last_error,
    )


def failed_delivery(workspace: Workspace, account: SocialAccount, text: str) -> Delivery:
    return delivery(
        post(workspace, text, PostState.FAILED), account, DeliveryState.FAILED, last_error="x"
    )
