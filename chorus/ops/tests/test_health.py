"""/healthz for load balancers and /metrics for Prometheus."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.db.utils import OperationalError
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from chorus.workers.models import WorkerHeartbeat
from chorus.workers.tests import support_tasks


def beat(
    worker_id: str = "web-1-abc", *, seen_ago: float = 1, stopped: bool = False, **fields: object
) -> WorkerHeartbeat:
    now = timezone.now()
    values: dict[str, object] = {
        "worker_id": worker_id,
        "hostname": "web-1",
        "pid": 4242,
        "mode": "in-process",
        "queues": "*",
        "started_at": now - timedelta(hours=1),
        "last_seen": now - timedelta(seconds=seen_ago),
        "stopped_at": now if stopped else None,
        "tasks_run": 17,
    }
    values.update(fields)
    return WorkerHeartbeat.objects.create(**values)


def test_it_is_healthy_with_a_fresh_worker_heartbeat(client, db):
    beat()
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["failing"] == []
    assert body["checks"]["database"]["ok"] is True
    workers = body["checks"]["workers"]
    assert workers["ok"] is True
    assert workers["alive"] == 1
    [worker] = workers["workers"]
    assert worker["id"] == "web-1-abc"
    assert worker["host"] == "web-1"
    assert worker["mode"] == "in-process"
    assert worker["tasks_run"] == 17
    assert worker["last_seen"]
    assert response["Cache-Control"].startswith("max-age=0")


def test_it_leaks_no_process_details(client, db):
    beat()
    body = client.get("/healthz").content.decode()
    assert "4242" not in body
    assert "pid" not in body


def test_it_is_degraded_and_names_the_check_without_workers(client, db):
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "degraded"
    assert body["failing"] == ["workers"]
    assert body["checks"]["workers"]["ok"] is False
    assert body["checks"]["workers"]["alive"] == 0
    assert body["checks"]["database"]["ok"] is True


@pytest.mark.parametrize("kind", ["stale", "stopped"])
def test_it_does_not_count_a_stale_or_stopped_worker(client, db, settings, kind):
    if kind == "stale":
        beat(seen_ago=settings.WORKER_STALE_SECONDS + 5)
    else:
        beat(stopped=True)
    response = client.get("/healthz")
    assert response.status_code == 503
    workers = response.json()["checks"]["workers"]
    assert workers["alive"] == 0
    assert workers["stale"] == (1 if kind == "stale" else 0)


def test_it_reports_an_unreachable_database_without_its_error_text(client, db, monkeypatch):
    class Broken:
        vendor = "postgresql"

        def cursor(self):  # type: ignore[no-untyped-def]
            raise OperationalError('could not connect to server "db.internal" as "chorus"')

    monkeypatch.setattr("chorus.ops.views.connection", Broken())
    beat()
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["failing"] == ["database"]
    assert body["checks"]["database"]["error"] == "unreachable"
    assert "db.internal" not in response.content.decode()


def test_it_only_answers_get(client, db):
    assert client.post("/healthz").status_code == 405


def test_it_exports_workers_and_task_counts_to_prometheus(client, transactional_db):
    beat()
    beat("web-2-def", stopped=True)
    support_tasks.multiply.enqueue(1, 2)
    support_tasks.multiply.enqueue(3, 4)
    done = support_tasks.multiply.enqueue(5, 6)
    DBTaskResult.objects.filter(id=done.id).update(status="SUCCESSFUL")
    client.get("/healthz")

    response = client.get("/metrics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert "chorus_database_up 1.0" in text
    assert "chorus_workers_alive 1.0" in text
    assert 'chorus_tasks{status="READY"} 2.0' in text
    assert 'chorus_tasks{status="SUCCESSFUL"} 1.0' in text
    assert 'chorus_tasks{status="FAILED"} 0.0' in text
    assert "chorus_tasks_oldest_ready_seconds" in text
    # The /healthz request above answered 200 (one worker is alive).
    assert 'chorus_http_requests_total{method="GET",status="200"}' in text
    assert "chorus_http_request_seconds_bucket" in text


def test_it_counts_unknown_methods_under_one_label(client, db):
    client.generic("BREW", "/healthz")
    text = client.get("/metrics").content.decode()
    assert 'method="other"' in text
    assert "BREW" not in text


def test_it_says_the_database_is_down_in_metrics(client, db, monkeypatch):
    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise OperationalError("connection refused")

    monkeypatch.setattr(WorkerHeartbeat.objects, "alive", broken)
    text = client.get("/metrics").content.decode()
    assert "chorus_database_up 0.0" in text
    samples = [line for line in text.splitlines() if not line.startswith("#")]
    assert not any(line.startswith(("chorus_workers_alive", "chorus_tasks")) for line in samples)


def test_it_returns_json_even_when_degraded(client, db):
    response = client.get("/healthz")
    assert response["Content-Type"] == "application/json"
    json.loads(response.content)
