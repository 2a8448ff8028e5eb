"""Prometheus metrics. Counters live in this process; gauges are read at scrape time."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

registry = CollectorRegistry(auto_describe=True)

http_requests = Counter(
    "chorus_http_requests", "HTTP requests served", ["method", "status"], registry=registry)
http_latency = Histogram(
    "chorus_http_request_seconds", "Time to serve an HTTP request", registry=registry)
workers_alive = Gauge(
    "chorus_workers_alive", "Workers whose heartbeat is fresh", registry=registry)
tasks_by_status = Gauge(
    "chorus_tasks", "Background tasks by status", ["status"], registry=registry)
