"""Health and metrics endpoints for load balancers and Prometheus.

Both are public, so they say what an operator needs (is the database up, which workers
are alive) and nothing an attacker could use: no error texts, process ids or settings.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.utils import DatabaseError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

from chorus.ops import metrics
from chorus.orgs.policy import public
from chorus.workers.models import WorkerHeartbeat

logger = logging.getLogger(__name__)

# Enough for any real deployment; keeps the response small if ids are ever misused.
MAX_WORKERS_LISTED = 50
# A worker that vanished without recording a stop this recently counts as stale.
STALE_WINDOW = timedelta(hours=24)


@public
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    checks = {"database": _database_check(), "workers": _workers_check()}
    failing = [name for name, check in checks.items() if not check["ok"]]
    return JsonResponse(
        {"status": "degraded" if failing else "ok", "failing": failing, "checks": checks},
        status=503 if failing else 200,
    )


def _database_check() -> dict[str, Any]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        logger.exception("Health check: the database did not answer")
        return {"ok": False, "vendor": connection.vendor, "error": "unreachable"}
    return {"ok": True, "vendor": connection.vendor}


def _workers_check() -> dict[str, Any]:
    try:
        alive = list(WorkerHeartbeat.objects.alive().order_by("-last_seen")[:MAX_WORKERS_LISTED])
        stale = (
            WorkerHeartbeat.objects.filter(
                stopped_at__isnull=True, last_seen__gte=timezone.now() - STALE_WINDOW
            )
            .exclude(pk__in=[w.pk for w in alive])
            .count()
        )
    except DatabaseError:
        logger.exception("Health check: could not read worker heartbeats")
        return {"ok": False, "alive": 0, "error": "unreachable"}
    return {
        "ok": bool(alive),
        "alive": len(alive),
        "stale": stale,
        "stale_after_seconds": settings.WORKER_STALE_SECONDS,
        "workers": [
            {
                "id": w.worker_id,
                "host": w.hostname,
                "mode": w.mode,
                "started_at": w.started_at,
                "last_seen": w.last_seen,
                "tasks_run": w.tasks_run,
            }
            for w in alive
        ],
    }


@public
@never_cache
@require_GET
def prometheus(request: HttpRequest) -> HttpResponse:
    return HttpResponse(generate_latest(metrics.registry), content_type=CONTENT_TYPE_LATEST)
