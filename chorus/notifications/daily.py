"""Daily summaries: at 08:00 in each workspace's time zone, once per day.

The worker calls `run_due_summaries` among its periodic duties, and
`chorus notifications daily-summary` runs it by hand (or from cron). A DailySummaryRun row
per (workspace, day) makes it idempotent: it is written in the same transaction that queues
the messages, so however many workers or commands run at once, a day is summarised once.
"""

from __future__ import annotations

import logging
from datetime import datetime, time

from django.db import DatabaseError, transaction
from django.utils import timezone

from chorus.notifications.models import DailySummaryRun, Event, NotificationTarget
from chorus.notifications.summaries import zone_of
from chorus.notifications.tasks import enqueue
from chorus.orgs.models import Workspace

logger = logging.getLogger(__name__)

SUMMARY_TIME = time(8, 0)


def subscribed_targets() -> dict[Workspace, list[NotificationTarget]]:
    by_workspace: dict[Workspace, list[NotificationTarget]] = {}
    targets = NotificationTarget.objects.filter(enabled=True).select_related(
        "workspace__organisation"
    )
    for target in targets.order_by("workspace_id", "pk"):
        # Events are a JSON list, which SQLite cannot search inside; there are few targets.
        if target.wants(Event.DAILY_SUMMARY):
            by_workspace.setdefault(target.workspace, []).append(target)
    return by_workspace


def run_due_summaries(now: datetime | None = None, *, any_hour: bool = False) -> list[Workspace]:
    """Queue today's summary for every subscribed workspace where it is past 08:00 (or at
    any hour with `any_hour`) and today's has not been queued yet; return those workspaces."""
    now = now or timezone.now()
    done: list[Workspace] = []
    for workspace, targets in subscribed_targets().items():
        try:
            if _queue_summary(workspace, targets, now, any_hour=any_hour):
                done.append(workspace)
        except DatabaseError:
            raise  # the caller's loop knows how to wait for the database
        except Exception:
            # One workspace's trouble (a task backend refusing, say) must not cost the
            # others their summary.
            logger.exception("Daily summary of workspace %s not queued", workspace.pk)
    return done


def _queue_summary(
    workspace: Workspace, targets: list[NotificationTarget], now: datetime, *, any_hour: bool
) -> bool:
    local = now.astimezone(zone_of(workspace))
    if not any_hour and local.time() < SUMMARY_TIME:
        return False
    day = local.date()
    if DailySummaryRun.objects.filter(workspace=workspace, day=day).exists():
        return False
    with transaction.atomic():
        _run, created = DailySummaryRun.objects.get_or_create(workspace=workspace, day=day)
        if not created:
            return False  # another worker got there first
        context = {"workspace_id": workspace.pk, "now": now.isoformat()}
        for target in targets:
            enqueue(target, Event.DAILY_SUMMARY, context)
    return True
