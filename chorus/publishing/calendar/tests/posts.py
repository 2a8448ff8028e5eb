"""Posts at exact wall times, for the calendar's tests."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from chorus.orgs.models import SocialAccount
from chorus.publishing.models import Campaign, Delivery, DeliveryState, Post, PostState, Tag
from chorus.publishing.scheduling.zones import to_utc

DELIVERY_STATE = {
    PostState.DRAFT: DeliveryState.WAITING,
    PostState.IN_REVIEW: DeliveryState.WAITING,
    PostState.APPROVED: DeliveryState.WAITING,
    PostState.SCHEDULED: DeliveryState.SCHEDULED,
    PostState.PUBLISHING: DeliveryState.SENDING,
    PostState.PUBLISHED: DeliveryState.PUBLISHED,
    PostState.FAILED: DeliveryState.FAILED,
    PostState.CANCELLED: DeliveryState.CANCELLED,
}


def post_at(
    accounts: Iterable[SocialAccount],
    local: str | None,
    zone: str = "Europe/Berlin",
    *,
    state: str = PostState.SCHEDULED,
    text: str = "Spring launch\nmore lines",
    campaign: Campaign | None = None,
    tags: Iterable[Tag] = (),
    published: str | None = None,
) -> Post:
    """A post at wall time `local` ("2030-06-10 09:00") in `zone`, with a delivery per
    account in the state that goes with the post's."""
    accounts = list(accounts)
    at = to_utc(datetime.fromisoformat(local), zone) if local else None
    published_at = to_utc(datetime.fromisoformat(published), zone) if published else None
    post = Post.objects.create(
        workspace=accounts[0].workspace,
        text=text,
        state=state,
        scheduled_at=at,
        time_zone=zone,
        campaign=campaign,
        published_at=published_at,
    )
    post.tags.set(list(tags))
    scheduled = state == PostState.SCHEDULED
    for account in accounts:
        Delivery.objects.create(
            post=post,
            account=account,
            network=account.network,
            state=DELIVERY_STATE[PostState(state)],
            scheduled_for=at,
            due_at=at if scheduled else None,
            published_at=published_at,
        )
    return post
