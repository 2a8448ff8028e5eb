"""Health and metrics endpoints for load balancers and Prometheus."""

from __future__ import annotations

from django.db import connection
from django.db.utils import DatabaseError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.http import require_GET
from prometheus_client import generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

from chorus.ops import metrics
from chorus.orgs.policy import public
from chorus.workers.models import WorkerHeartbeat


@public
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    checks: dict[str, dict[str, object]] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = {"ok": True, "vendor": connection.vendor}
    except DatabaseError as exc:
        checks["database"] = {"ok": False, "error": str(exc)}
    try:
        alive = list(WorkerHeartbeat.objects.alive().values("worker_id", "hostname", "last_seen"))
        checks["workers"] = {"ok": bool(alive), "alive": len(alive),
                             "newest_heartbeat": max((w["last_seen"] for w in alive),
                                                     default=None)}
    except DatabaseError as exc:
        checks["workers"] = {"ok": False, "error": str(exc)}
    healthy = all(bool(c["ok"]) for c in checks.values())
    return JsonResponse({"status": "ok" if healthy else "degraded", "checks": checks},
                        status=200 if healthy else 503)


@public
@require_GET
def prometheus(request: HttpRequest) -> HttpResponse:
    try:
        metrics.workers_alive.set(WorkerHeartbeat.objects.alive().count())
        for status, count in _task_counts().items():
            metrics.tasks_by_status.labels(status).set(count)
    except DatabaseError:
        pass
    return HttpResponse(generate_latest(metrics.registry), content_type=CONTENT_TYPE_LATEST)


def _task_counts() -> dict[str, int]:
    from django.db.models import Count
    from django_tasks_db.models import DBTaskResult

    return {row["status"]: row["n"]
            for row in DBTaskResult.objects.values("status").annotate(n=Count("id"))}
