"""Which badge colour each post and delivery state wears (classes of chorus.css)."""

from __future__ import annotations

from chorus.publishing.models import DeliveryState, PostState

POST = {
    PostState.DRAFT: "badge-muted",
    PostState.IN_REVIEW: "badge-warn",
    PostState.APPROVED: "",
    PostState.SCHEDULED: "",
    PostState.PUBLISHING: "badge-warn",
    PostState.PUBLISHED: "badge-ok",
    PostState.FAILED: "badge-danger",
    PostState.CANCELLED: "badge-muted",
}
DELIVERY = {
    DeliveryState.WAITING: "badge-muted",
    DeliveryState.SCHEDULED: "",
    DeliveryState.SENDING: "badge-warn",
    DeliveryState.RETRYING: "badge-warn",
    DeliveryState.UNKNOWN: "badge-warn",
    DeliveryState.PUBLISHED: "badge-ok",
    DeliveryState.FAILED: "badge-danger",
    DeliveryState.CANCELLED: "badge-muted",
}


def post_badge(state: str) -> str:
    return POST.get(PostState(state), "") if state in PostState.values else ""


def delivery_badge(state: str) -> str:
    return DELIVERY.get(DeliveryState(state), "") if state in DeliveryState.values else ""
