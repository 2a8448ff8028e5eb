"""Moving a post along: schedule, queue, publish now, submit, approve, cancel, move."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router
from ninja.errors import HttpError
from ninja.params import PathEx

from chorus.api.lookup import caller, get_or_404, token
from chorus.api.schemas.common import id_param, responses
from chorus.orgs import policy
from chorus.orgs.policy import rule
from chorus.publishing import states
from chorus.publishing.api.posts import post_for
from chorus.publishing.api.schemas import (
    DeliveryLogOut,
    MoveIn,
    PostOut,
    QueueIn,
    QueueMode,
    ScheduleIn,
)
from chorus.publishing.api.serialize import delivery_log_out, post_out
from chorus.publishing.compose import service
from chorus.publishing.models import Delivery, DeliveryState, PostState
from chorus.publishing.scheduling import exact, queueing
from chorus.publishing.scheduling.errors import ScheduleError

router = Router(tags=["Posts"])

PostId = PathEx[int, id_param("The post's id.")]
DeliveryId = PathEx[int, id_param("The delivery's id.")]


@router.post(
    "/posts/{post_id}/schedule", response=responses({200: PostOut}), summary="Schedule a post"
)
@rule("post.publish")
def schedule(request: HttpRequest, post_id: PostId, payload: ScheduleIn) -> Any:
    """At a wall-clock time in an IANA zone. A time the clocks skip (DST gap) or show
    twice (DST overlap, unless `fold` chooses) is refused with the nearest valid times."""
    post = post_for(request, post_id, "post.publish")
    if payload.local_time.tzinfo is not None:
        exact.schedule_instant(post, payload.local_time, payload.time_zone)
    else:
        exact.schedule_at(post, payload.local_time, payload.time_zone, fold=payload.fold)
    return post_out(post)


@router.post(
    "/posts/{post_id}/queue", response=responses({200: PostOut}), summary="Add a post to the queue"
)
@rule("post.publish")
def queue(request: HttpRequest, post_id: PostId, payload: QueueIn) -> Any:
    """`last`: the first free posting slot after the queue; `next`: the very next slot,
    moving every queued post back by one."""
    post = post_for(request, post_id, "post.publish")
    if payload.mode == QueueMode.NEXT:
        queueing.share_next(post)
    else:
        queueing.add_to_queue(post)
    return post_out(post)


@router.post(
    "/posts/{post_id}/publish-now", response=responses({200: PostOut}), summary="Publish now"
)
@rule("post.publish")
def publish_now(request: HttpRequest, post_id: PostId) -> Any:
    post = post_for(request, post_id, "post.publish")
    exact.share_now(post)
    return post_out(post)


@router.post(
    "/posts/{post_id}/move", response=responses({200: PostOut}), summary="Move to another day"
)
@rule("post.publish")
def move(request: HttpRequest, post_id: PostId, payload: MoveIn) -> Any:
    """The calendar's drag and drop: same wall-clock time in the post's zone, new day."""
    post = post_for(request, post_id, "post.publish")
    try:
        day = date.fromisoformat(payload.date)
    except ValueError as error:
        raise ScheduleError("invalid_date", "date", _("This is not a date.")) from error
    exact.reschedule_keeping_time(post, day, fold=payload.fold)
    return post_out(post)


@router.post(
    "/posts/{post_id}/submit", response=responses({200: PostOut}), summary="Submit for approval"
)
@rule("post.create")
def submit(request: HttpRequest, post_id: PostId) -> Any:
    post = post_for(request, post_id, "post.create")
    if not post.deliveries.exists():
        raise ScheduleError("no_accounts", "accounts", _("Choose at least one account first."))
    states.move(post, PostState.IN_REVIEW)
    return post_out(post)


@router.post("/posts/{post_id}/approve", response=responses({200: PostOut}), summary="Approve")
@rule("post.approve")
def approve(request: HttpRequest, post_id: PostId) -> Any:
    """Approve a post in review. If it carries a time still ahead, it is scheduled then."""
    post = post_for(request, post_id, "post.approve")
    with transaction.atomic():
        states.move(post, PostState.APPROVED)
        if post.scheduled_at and post.scheduled_at > timezone.now():
            exact.schedule_instant(post, post.scheduled_at, post.time_zone)
    return post_out(post)


@router.post("/posts/{post_id}/reject", response=responses({200: PostOut}), summary="Reject")
@rule("post.approve")
def reject(request: HttpRequest, post_id: PostId) -> Any:
    """Send a post in review back to its author as a draft."""
    post = post_for(request, post_id, "post.approve")
    if post.state != PostState.IN_REVIEW:
        raise states.TransitionError(post.state, PostState.DRAFT)
    states.move(post, PostState.DRAFT)
    return post_out(post)


@router.post(
    "/posts/{post_id}/unschedule", response=responses({200: PostOut}), summary="Back to draft"
)
@rule("post.publish")
def unschedule(request: HttpRequest, post_id: PostId) -> Any:
    post = post_for(request, post_id, "post.publish")
    with transaction.atomic():
        states.move(post, PostState.DRAFT)
        Delivery.objects.filter(
            post=post, state__in=[DeliveryState.SCHEDULED, DeliveryState.RETRYING]
        ).update(state=DeliveryState.WAITING, due_at=None)
    return post_out(post)


@router.post("/posts/{post_id}/cancel", response=responses({200: PostOut}), summary="Cancel")
@rule("post.publish")
def cancel(request: HttpRequest, post_id: PostId) -> Any:
    """Deliveries not yet sent stop; what already went out stays out."""
    post = post_for(request, post_id, "post.publish")
    service.cancel_post(post)
    return post_out(post)


@router.get(
    "/posts/{post_id}/deliveries",
    response=responses({200: list[DeliveryLogOut]}),
    summary="Deliveries and every attempt",
)
@rule("post.view")
def deliveries(request: HttpRequest, post_id: PostId) -> Any:
    post = post_for(request, post_id, "post.view")
    rows = post.deliveries.select_related("account").prefetch_related("log").order_by("pk")
    return [delivery_log_out(d) for d in rows]


@router.post(
    "/deliveries/{delivery_id}/retry",
    response=responses({200: DeliveryLogOut}),
    summary="Retry a failed delivery",
)
@rule("post.publish")
def retry(request: HttpRequest, delivery_id: DeliveryId) -> Any:
    delivery = get_or_404(Delivery, delivery_id, "post__workspace__organisation", "account")
    policy.authorize(caller(request), "post.publish", delivery, token=token(request))
    now = timezone.now()
    with transaction.atomic():
        changed = Delivery.objects.filter(pk=delivery.pk, state=DeliveryState.FAILED).update(
            state=DeliveryState.SCHEDULED, due_at=now, attempts=0, updated_at=now
        )
        if not changed:
            raise HttpError(409, _("Only a failed delivery can be retried."))
        post = delivery.post
        if post.state == PostState.FAILED:
            states.move(post, PostState.SCHEDULED)
    delivery.refresh_from_db()
    return delivery_log_out(delivery)
