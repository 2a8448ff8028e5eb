from chorus.publishing.models.campaigns import Campaign, Tag
from chorus.publishing.models.deliveries import (
    CLAIMABLE,
    FINAL,
    AttemptOutcome,
    Delivery,
    DeliveryAttempt,
    DeliveryState,
)
from chorus.publishing.models.posts import Post, PostMedia, PostRevision, PostState, PostVariant
from chorus.publishing.models.queues import AccountQueue, PostingSlot

__all__ = [
    "CLAIMABLE",
    "FINAL",
    "AccountQueue",
    "AttemptOutcome",
    "Campaign",
    "Delivery",
    "DeliveryAttempt",
    "DeliveryState",
    "Post",
    "PostMedia",
    "PostRevision",
    "PostState",
    "PostVariant",
    "PostingSlot",
    "Tag",
]
