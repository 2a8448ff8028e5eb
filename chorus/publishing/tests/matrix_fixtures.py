"""Posts in each state the publishing endpoints act on, for both organisations."""

from __future__ import annotations

from datetime import time, timedelta
from typing import Any

from django.utils import timezone

from chorus.publishing.models import (
    Campaign,
    Delivery,
    DeliveryState,
    Post,
    PostingSlot,
    PostState,
)


def _post(account: Any, state: str, delivery_state: str, *, scheduled: bool = False) -> Post:
    when = timezone.now() + timedelta(days=2) if scheduled else None
    post = Post.objects.create(
        workspace=account.workspace,
        text="Matrix post",
        state=state,
        scheduled_at=when,
        time_zone="Europe/Berlin",
    )
    Delivery.objects.create(
        post=post,
        account=account,
        network=account.network,
        state=delivery_state,
        scheduled_for=when,
        due_at=when,
    )
    return post


def build(t: Any) -> None:
    for prefix, account in (("", t.account), ("other_", t.other_account)):
        setattr(t, f"{prefix}post", _post(account, PostState.DRAFT, DeliveryState.WAITING))
        setattr(
            t,
            f"{prefix}post_in_review",
            _post(account, PostState.IN_REVIEW, DeliveryState.WAITING),
        )
        setattr(
            t,
            f"{prefix}post_scheduled",
            _post(account, PostState.SCHEDULED, DeliveryState.SCHEDULED, scheduled=True),
        )
        failed = _post(account, PostState.FAILED, DeliveryState.FAILED)
        setattr(t, f"{prefix}failed_delivery", failed.deliveries.get())
        for weekday in range(7):
            PostingSlot.objects.create(account=account, weekday=weekday, time=time(9, 30))
        setattr(
            t, f"{prefix}campaign", Campaign.objects.create(workspace=account.workspace, name="Q1")
        )
