"""What the composer's buttons and the post page's buttons do to a saved post.

Each runs in one transaction: a post is scheduled on all its accounts or on none, and a
move it needs first (approving a post in review, reopening a cancelled one) is undone
with it when the scheduling fails.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chorus.orgs import policy
from chorus.publishing import states
from chorus.publishing.compose import service
from chorus.publishing.models import Delivery, DeliveryState, Post, PostState
from chorus.publishing.scheduling import exact, queueing
from chorus.publishing.scheduling.errors import ScheduleError
from chorus.publishing.scheduling.zones import from_utc, to_utc
from chorus.publishing.web.when import When

# The composer's buttons that put the post on a time: they need post.publish.
SCHEDULING = ("schedule", "queue", "next", "now")
ACTIONS = ("save", "submit", *SCHEDULING)


def run(post: Post, action: str, user: Any, when: When | None) -> str:
    """Do `action` on the saved `post`; the sentence to tell the person. Raises
    ScheduleError or TransitionError, with nothing changed."""
    with transaction.atomic():
        if action in SCHEDULING:
            _reopen(post, user)
        if action == "schedule":
            if when is None:
                raise ScheduleError("required", "scheduled_at", _("Choose a date and a time."))
            exact.schedule_at(post, when.local, when.zone, fold=when.fold)
            return _("Scheduled for %(time)s.") % {"time": local_label(post)}
        if action == "queue":
            queueing.add_to_queue(post)
            return _("Added to the queue for %(time)s.") % {"time": local_label(post)}
        if action == "next":
            queueing.share_next(post)
            return _("Goes out next, at %(time)s.") % {"time": local_label(post)}
        if action == "now":
            exact.share_now(post)
            return _("Publishing now.")
        if action == "submit":
            submit(post, when)
            return _("Submitted for approval.")
    return _("Saved.")


def _reopen(post: Post, user: Any) -> None:
    if post.state == PostState.IN_REVIEW:
        # Scheduling a post in review is approving it: only for those who may approve.
        policy.authorize(user, "post.approve", post)
        states.move(post, PostState.APPROVED)
    elif post.state == PostState.CANCELLED:
        states.move(post, PostState.DRAFT)


def submit(post: Post, when: When | None = None) -> None:
    """Send a post for approval, with the time it should go out once approved."""
    if not post.deliveries.exists():
        raise ScheduleError("no_accounts", "accounts", _("Choose at least one account first."))
    with transaction.atomic():
        if when is not None:
            instant = to_utc(when.local, when.zone, fold=when.fold)
            Post.objects.filter(pk=post.pk).update(scheduled_at=instant, time_zone=when.zone)
        if post.state != PostState.IN_REVIEW:
            states.move(post, PostState.IN_REVIEW)
    post.refresh_from_db()


def approve(post: Post) -> None:
    """Approve a post in review; a time it carries that is still ahead gets scheduled."""
    with transaction.atomic():
        states.move(post, PostState.APPROVED)
        if post.scheduled_at and post.scheduled_at > timezone.now():
            exact.schedule_instant(post, post.scheduled_at, post.time_zone)


def reject(post: Post) -> None:
    if post.state != PostState.IN_REVIEW:
        raise states.TransitionError(post.state, PostState.DRAFT)
    states.move(post, PostState.DRAFT)


def unschedule(post: Post) -> None:
    """Take a scheduled post off its time; it becomes a draft again."""
    if post.state != PostState.SCHEDULED:
        raise ScheduleError("not_scheduled", "scheduled_at", _("This post is not scheduled."))
    with transaction.atomic():
        states.move(post, PostState.DRAFT)
        Delivery.objects.filter(
            post=post, state__in=[DeliveryState.SCHEDULED, DeliveryState.RETRYING]
        ).update(state=DeliveryState.WAITING, due_at=None)


def cancel(post: Post) -> None:
    service.cancel_post(post)


def publish_now(post: Post, user: Any) -> None:
    with transaction.atomic():
        _reopen(post, user)
        exact.share_now(post)


def retry(delivery: Delivery) -> bool:
    """Try a failed delivery again now; False when it is no longer failed."""
    now = timezone.now()
    with transaction.atomic():
        changed = Delivery.objects.filter(pk=delivery.pk, state=DeliveryState.FAILED).update(
            state=DeliveryState.SCHEDULED, due_at=now, attempts=0, updated_at=now
        )
        if not changed:
            return False
        post = Post.objects.select_for_update().get(pk=delivery.post_id)
        if post.state == PostState.FAILED:
            states.move(post, PostState.SCHEDULED)
    return True


def local_label(post: Post) -> str:
    if post.scheduled_at is None:
        return ""
    local = from_utc(post.scheduled_at, post.time_zone)
    return f"{local:%Y-%m-%d %H:%M} ({post.time_zone})"
