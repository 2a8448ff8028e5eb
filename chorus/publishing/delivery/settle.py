"""A post's state follows its deliveries: publishing once one starts, then published or
failed once every delivery has finished."""

from __future__ import annotations

import logging

from django.db import transaction

from chorus.publishing import signals, states
from chorus.publishing.models import FINAL, Delivery, DeliveryState, Post, PostState

logger = logging.getLogger(__name__)


def start_post(post: Post) -> None:
    if post.state in (PostState.SCHEDULED, PostState.APPROVED, PostState.FAILED):
        try:
            states.move(post, PostState.PUBLISHING)
        except states.TransitionError:
            post.refresh_from_db(fields=["state"])  # another worker moved it first


def settle_post(post_id: int) -> None:
    """Called in the transaction that finished one of the post's deliveries."""
    # The post's row lock orders deliveries of the same post finishing at once on two
    # workers: the second to get it sees the first's committed state.
    post = Post.objects.select_for_update().get(pk=post_id)
    if post.state != PostState.PUBLISHING:
        return
    delivery_states = list(Delivery.objects.filter(post_id=post_id).values_list("state", flat=True))
    if any(state not in FINAL for state in delivery_states):
        return
    published = DeliveryState.PUBLISHED in delivery_states and all(
        s in (DeliveryState.PUBLISHED, DeliveryState.CANCELLED) for s in delivery_states
    )
    target = PostState.PUBLISHED if published else PostState.FAILED
    states.move(post, target, expected=PostState.PUBLISHING)
    if target == PostState.PUBLISHED:
        transaction.on_commit(lambda: signals.post_published.send(sender=Post, post=post))
