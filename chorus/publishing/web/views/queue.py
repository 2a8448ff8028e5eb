"""An account's queue: its weekly posting slots, pause, daily limit, the next slots and
the posts waiting in them. Slots are wall-clock times in the workspace's zone."""

from __future__ import annotations

from datetime import time
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from chorus.orgs import policy
from chorus.orgs.models import SocialAccount, Workspace
from chorus.orgs.policy import rule
from chorus.publishing.models import AccountQueue, Delivery, DeliveryState, PostingSlot
from chorus.publishing.scheduling import queueing
from chorus.publishing.scheduling.errors import ScheduleError
from chorus.publishing.scheduling.slots import slot_instants
from chorus.publishing.web import badges
from chorus.publishing.web.draft import network_label
from chorus.publishing.web.views.lookup import account_in
from chorus.web import scope

UPCOMING = 14  # slots shown ahead
WAITING = 30  # queued posts shown
MAX_SLOTS_PER_DAY = 48
WEEKDAY_VALUES = tuple(str(value) for value in PostingSlot.Weekday.values)


@rule("post.view")
@login_required
@require_GET
def queue(request: HttpRequest, org_slug: str, ws_slug: str, account_id: int) -> HttpResponse:
    ws = scope.workspace(request, org_slug, ws_slug, "post.view")
    account = account_in(request, ws, account_id, "post.view")
    return _page(request, ws, account)


def _page(
    request: HttpRequest,
    ws: Workspace,
    account: SocialAccount,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    # Read without creating: a queue row appears when something is first changed.
    settings = AccountQueue.objects.filter(account=account).first() or AccountQueue(account=account)
    slots = list(account.slots.all())
    days = [
        (value, label, [s for s in slots if s.weekday == value])
        for value, label in PostingSlot.Weekday.choices
    ]
    now = timezone.now()
    waiting = list(
        Delivery.objects.filter(
            account=account, state=DeliveryState.SCHEDULED, scheduled_for__gte=now
        )
        .select_related("post")
        .order_by("scheduled_for", "pk")[:WAITING]
    )
    taken = {d.scheduled_for: d for d in waiting}
    upcoming = [
        (instant, taken.get(instant))
        for instant in slot_instants(
            [(s.weekday, s.time) for s in slots], ws.time_zone, now, days=14
        )[:UPCOMING]
    ]
    context: dict[str, Any] = {
        "org": ws.organisation,
        "workspace": ws,
        "account": account,
        "network": network_label(account.network),
        "settings": settings,
        "days": days,
        "upcoming": upcoming,
        "waiting": [(d, badges.delivery_badge(d.state)) for d in waiting],
        "weekdays": PostingSlot.Weekday.choices,
        "errors": errors or {},
        "can_change": policy.can(request.user, "post.publish", ws),
        "can_compose": policy.can(request.user, "post.create", ws),
        "throttled": settings.throttled_until and settings.throttled_until > now,
    }
    return render(request, "publishing/queue.html", context, status=status)


def _done(ws: Workspace, account: SocialAccount) -> HttpResponse:
    return redirect(
        "web:account_queue", org_slug=ws.organisation.slug, ws_slug=ws.slug, account_id=account.pk
    )


@rule("post.publish")
@login_required
@require_POST
def add_slot(request: HttpRequest, org_slug: str, ws_slug: str, account_id: int) -> HttpResponse:
    ws = scope.workspace(request, org_slug, ws_slug, "post.publish")
    account = account_in(request, ws, account_id, "post.publish")
    days = sorted({int(d) for d in request.POST.getlist("weekday") if d in WEEKDAY_VALUES})
    try:
        at = time.fromisoformat(request.POST.get("time", ""))
    except ValueError:
        return _page(request, ws, account, {"slot": _("Enter a time such as 09:30.")}, 422)
    if not days:
        return _page(request, ws, account, {"slot": _("Choose at least one day.")}, 422)
    at = at.replace(second=0, microsecond=0, tzinfo=None)
    with transaction.atomic():
        counts = {d: account.slots.filter(weekday=d).count() for d in days}
        if any(n >= MAX_SLOTS_PER_DAY for n in counts.values()):
            transaction.set_rollback(True)
            return _page(
                request,
                ws,
                account,
                {"slot": _("A day holds at most %(n)s slots.") % {"n": MAX_SLOTS_PER_DAY}},
                422,
            )
        PostingSlot.objects.bulk_create(
            [PostingSlot(account=account, weekday=d, time=at) for d in days],
            ignore_conflicts=True,
        )
    messages.success(request, _("Posting time %(time)s added.") % {"time": at.strftime("%H:%M")})
    return _done(ws, account)


@rule("post.publish")
@login_required
@require_POST
def remove_slot(
    request: HttpRequest, org_slug: str, ws_slug: str, account_id: int, slot_id: int
) -> HttpResponse:
    ws = scope.workspace(request, org_slug, ws_slug, "post.publish")
    account = account_in(request, ws, account_id, "post.publish")
    slot = get_object_or_404(PostingSlot, pk=slot_id, account=account)
    label = str(slot)
    slot.delete()
    messages.success(request, _("Posting time %(slot)s removed.") % {"slot": label})
    return _done(ws, account)


@rule("post.publish")
@login_required
@require_POST
def pause(request: HttpRequest, org_slug: str, ws_slug: str, account_id: int) -> HttpResponse:
    """paused=1 holds every post of the account; paused=0 lets them go out again."""
    ws = scope.workspace(request, org_slug, ws_slug, "post.publish")
    account = account_in(request, ws, account_id, "post.publish")
    if request.POST.get("paused") == "1":
        queueing.pause_queue(account)
        messages.success(
            request,
            _("Paused. Nothing goes out on %(account)s until you resume.")
            % {"account": account.handle},
        )
    else:
        queueing.resume_queue(account)
        messages.success(
            request, _("Resumed. Posts whose slot passed were moved to the next free slots.")
        )
    return _done(ws, account)


@rule("post.publish")
@login_required
@require_POST
def daily_limit(request: HttpRequest, org_slug: str, ws_slug: str, account_id: int) -> HttpResponse:
    ws = scope.workspace(request, org_slug, ws_slug, "post.publish")
    account = account_in(request, ws, account_id, "post.publish")
    raw = request.POST.get("daily_limit", "").strip()
    try:
        limit = int(raw) if raw else None
    except ValueError:
        limit = -1  # refused below, with the service's own sentence
    try:
        queueing.set_daily_limit(account, limit)
    except ScheduleError as error:
        return _page(request, ws, account, {"daily_limit": error.message}, 422)
    messages.success(request, _("Daily limit saved."))
    return _done(ws, account)
