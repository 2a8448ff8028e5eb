"""The installation's own health, for its administrators (superusers)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from chorus.orgs import policy
from chorus.orgs.policy import rule
from chorus.workers.models import WorkerHeartbeat

# Stopped workers stay listed for a while, so a crash is visible after the fact.
SHOWN_WORKERS = 50


@rule("system.view")
@login_required
def system(request: HttpRequest) -> HttpResponse:
    policy.authorize(request.user, "system.view")
    workers = list(WorkerHeartbeat.objects.order_by("stopped_at", "-last_seen")[:SHOWN_WORKERS])
    return render(
        request,
        "web/system.html",
        {
            "workers": workers,
            "alive_count": sum(1 for w in workers if w.is_alive),
            "stale_seconds": settings.WORKER_STALE_SECONDS,
            "db_vendor": connection.vendor,
            "db_version": _database_version(),
        },
    )


def _database_version() -> str:
    if connection.vendor == "postgresql":
        return str(connection.cursor().connection.info.server_version)  # type: ignore[attr-defined]
    if connection.vendor == "sqlite":
        import sqlite3

        return sqlite3.sqlite_version
    return ""
