"""`chorus worker` processes sharing one queue: every task runs once, all workers help, and
SIGTERM stops them cleanly."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from contextlib import closing

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

from chorus.ops.tests.support import (
    base_env,
    current_database_url,
    scratch_site,
    stop_process,
    wait_for,
)
from chorus.workers.models import WorkerHeartbeat
from chorus.workers.tests import support_tasks

TASKS = 1000
WORKERS = 3


@pytest.fixture
def marker_table(transactional_db):  # type: ignore[no-untyped-def]
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE {support_tasks.MARKER_TABLE} "
            "(id serial PRIMARY KEY, marker text NOT NULL, pid integer NOT NULL)"
        )
    yield support_tasks.MARKER_TABLE
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {support_tasks.MARKER_TABLE}")


@pytest.mark.postgres_only
def test_it_claims_tasks_with_skip_locked(db):
    support_tasks.multiply.enqueue(1, 1)
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        assert DBTaskResult.objects.ready().get_locked() is not None
    assert any("FOR UPDATE SKIP LOCKED" in q["sql"] for q in queries.captured_queries)


@pytest.mark.postgres_only
def test_it_runs_each_task_exactly_once_across_three_worker_processes(marker_table, tmp_path):
    env = base_env(tmp_path, current_database_url())
    worker_ids = [f"exactly-once-{n}" for n in range(WORKERS)]
    logs = [tmp_path / f"{worker_id}.log" for worker_id in worker_ids]
    procs: list[subprocess.Popen[bytes]] = []
    started = time.monotonic()
    try:
        for worker_id, log in zip(worker_ids, logs, strict=True):
            with log.open("wb") as out:
                procs.append(
                    subprocess.Popen(
                        [
                            sys.executable,
                            "-m",
                            "chorus",
                            "worker",
                            "--worker-id",
                            worker_id,
                            "--interval",
                            "0.1",
                        ],
                        env=env,
                        stdout=out,
                        stderr=subprocess.STDOUT,
                        cwd=tmp_path,
                    )
                )
        wait_for(
            lambda: (
                WorkerHeartbeat.objects.alive().filter(worker_id__in=worker_ids).count() == WORKERS
            ),
            timeout=60,
            message="three worker heartbeats",
        )

        # One transaction, so the workers find a full queue and compete for it.
        with transaction.atomic():
            for n in range(TASKS):
                support_tasks.record_marker.enqueue(f"m{n:04d}")

        def all_done() -> bool:
            assert all(p.poll() is None for p in procs), _logs(logs)
            assert not DBTaskResult.objects.failed().exists(), _failures()
            return DBTaskResult.objects.successful().count() == TASKS

        wait_for(all_done, timeout=240, interval=0.25, message=f"{TASKS} successful tasks")
        ran_in = time.monotonic() - started

        with connection.cursor() as cursor:
            cursor.execute(f"SELECT marker, count(*) FROM {marker_table} GROUP BY marker")
            runs = dict(cursor.fetchall())
            cursor.execute(f"SELECT DISTINCT pid FROM {marker_table}")
            pids = {row[0] for row in cursor.fetchall()}
        assert len(runs) == TASKS
        assert set(runs.values()) == {1}, {m: n for m, n in runs.items() if n != 1}
        claims = Counter(
            worker
            for ids in DBTaskResult.objects.values_list("worker_ids", flat=True)
            for worker in ids
        )
        assert sum(claims.values()) == TASKS
        assert set(claims) == set(worker_ids), claims
        assert pids == {p.pid for p in procs}

        for proc in procs:
            proc.send_signal(signal.SIGTERM)
        for proc, log in zip(procs, logs, strict=True):
            assert proc.wait(timeout=30) == 0, log.read_text()
            assert "stopped after" in log.read_text()
    finally:
        for proc in procs:
            stop_process(proc)

    beats = {b.worker_id: b for b in WorkerHeartbeat.objects.filter(worker_id__in=worker_ids)}
    assert set(beats) == set(worker_ids)
    for worker_id, beat in beats.items():
        assert beat.mode == "process"
        assert beat.stopped_at is not None
        assert beat.tasks_run == claims[worker_id]
    print(f"\n{TASKS} tasks on {WORKERS} workers in {ran_in:.1f} s; split {dict(claims)}")


def test_it_stops_a_worker_process_cleanly_on_sigterm(tmp_path):
    with scratch_site(tmp_path) as site:
        log = tmp_path / "worker.log"
        proc = site.popen("worker", "--worker-id", "sigterm-1", "--interval", "0.1", log=log)
        try:
            wait_for(
                lambda: _heartbeat(site, "sigterm-1"), timeout=60, message="the worker's heartbeat"
            )
            proc.send_signal(signal.SIGTERM)
            assert proc.wait(timeout=15) == 0, log.read_text()
        finally:
            stop_process(proc)
        beat = _heartbeat(site, "sigterm-1")
        assert beat is not None
        assert beat["stopped_at"] is not None
        assert beat["mode"] == "process"


def _heartbeat(site, worker_id):  # type: ignore[no-untyped-def]
    query = "SELECT mode, stopped_at, tasks_run FROM workers_workerheartbeat WHERE worker_id = %s"
    if site.vendor == "sqlite":
        if not site.sqlite_path.exists():
            return None
        with closing(sqlite3.connect(site.sqlite_path)) as db:
            row = db.execute(query.replace("%s", "?"), [worker_id]).fetchone()
    else:
        import psycopg

        with psycopg.connect(site.database_url) as db:
            row = db.execute(query, [worker_id]).fetchone()
    return dict(zip(("mode", "stopped_at", "tasks_run"), row, strict=True)) if row else None


def _logs(logs) -> str:  # type: ignore[no-untyped-def]
    return "\n".join(f"--- {log.name}\n{log.read_text()}" for log in logs)


def _failures() -> str:
    return "\n".join(r.traceback for r in DBTaskResult.objects.failed()[:3])
