"""Prometheus metrics. Counters live in this process; database-backed gauges are read at
scrape time by a collector, so every scrape sees the current queue and workers."""

from __future__ import annotations

import logging
from collections.abc import Iterator

from django.db import connection
from django.db.models import Count, Min
from django.db.utils import DatabaseError
from django.utils import timezone
from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

logger = logging.getLogger(__name__)

registry = CollectorRegistry(auto_describe=True)

# Methods outside this set are counted as "other": a label per arbitrary client-chosen
# method would let anyone grow the metric without bound.
KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})

http_requests = Counter(
    "chorus_http_requests", "HTTP requests served", ["method", "status"], registry=registry
)
http_latency = Histogram(
    "chorus_http_request_seconds", "Time to serve an HTTP request", registry=registry
)


def method_label(method: str | None) -> str:
    return method if method in KNOWN_METHODS else "other"


class DatabaseCollector(Collector):
    """Workers and background tasks, as the database sees them right now."""

    def describe(self) -> Iterator[Metric]:
        # Describing without values keeps registration (at import) off the database.
        yield GaugeMetricFamily("chorus_database_up", "1 when the database answered")
        yield GaugeMetricFamily("chorus_workers_alive", "Workers whose heartbeat is fresh")
        yield GaugeMetricFamily("chorus_tasks", "Background tasks by status", labels=["status"])
        yield GaugeMetricFamily(
            "chorus_tasks_oldest_ready_seconds",
            "Age of the oldest task waiting to run (0 when none wait)",
        )

    def collect(self) -> Iterator[Metric]:
        from django_tasks import TaskResultStatus
        from django_tasks_db.models import DBTaskResult

        from chorus.workers.models import WorkerHeartbeat

        try:
            alive = WorkerHeartbeat.objects.alive().count()
            counts = {
                row["status"]: row["n"]
                for row in DBTaskResult.objects.values("status").annotate(n=Count("id")).order_by()
            }
            oldest = DBTaskResult.objects.ready().aggregate(t=Min("enqueued_at"))["t"]
        except DatabaseError:
            logger.warning(
                "Metrics: the %s database did not answer", connection.vendor, exc_info=True
            )
            yield GaugeMetricFamily("chorus_database_up", "1 when the database answered", value=0)
            return
        yield GaugeMetricFamily("chorus_database_up", "1 when the database answered", value=1)
        yield GaugeMetricFamily(
            "chorus_workers_alive", "Workers whose heartbeat is fresh", value=alive
        )
        tasks = GaugeMetricFamily("chorus_tasks", "Background tasks by status", labels=["status"])
        for status in TaskResultStatus.values:
            tasks.add_metric([status], counts.get(status, 0))
        yield tasks
        age = (timezone.now() - oldest).total_seconds() if oldest else 0.0
        yield GaugeMetricFamily(
            "chorus_tasks_oldest_ready_seconds",
            "Age of the oldest task waiting to run (0 when none wait)",
            value=max(age, 0.0),
        )


registry.register(DatabaseCollector())
