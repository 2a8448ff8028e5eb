"""`chorus serve`: web and worker in one process, stopped cleanly by Ctrl-C or SIGTERM."""

from __future__ import annotations

import json
import signal
import sqlite3
import time
import urllib.error
import urllib.request
from contextlib import closing
from pathlib import Path
from typing import Any

import psycopg
import pytest

from chorus.ops.tests.support import ScratchSite, free_port, scratch_site, stop_process, wait_for

STOP_DEADLINE = 15


def get_health(port: int) -> tuple[int, dict[str, Any]] | None:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as resp:
            return resp.status, json.load(resp)
    except urllib.error.HTTPError as exc:
        return exc.code, json.load(exc)
    except OSError:
        return None


def heartbeats(site: ScratchSite) -> list[dict[str, Any]]:
    query = "SELECT worker_id, mode, stopped_at, tasks_run FROM workers_workerheartbeat"
    if site.vendor == "sqlite":
        with closing(sqlite3.connect(site.sqlite_path)) as db:
            rows = db.execute(query).fetchall()
    else:
        with psycopg.connect(site.database_url) as db:  # type: ignore[arg-type]
            rows = db.execute(query).fetchall()
    return [
        dict(zip(("worker_id", "mode", "stopped_at", "tasks_run"), row, strict=True))
        for row in rows
    ]


def enqueue(site: ScratchSite, call: str) -> None:
    site.django(f"from chorus.workers.tests import support_tasks\nsupport_tasks.{call}")


def start(site: ScratchSite, tmp_path: Path) -> tuple[Any, int, Path]:
    port = free_port()
    log = tmp_path / "serve.log"
    proc = site.popen("serve", "--port", str(port), log=log, CHORUS_LOG_FORMAT="json")

    def healthy() -> bool:
        assert proc.poll() is None, log.read_text()
        health = get_health(port)
        return bool(health and health[0] == 200)

    wait_for(healthy, timeout=60, interval=0.2, message="/healthz to answer 200")
    return proc, port, log


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["sigint", "sigterm"])
def test_it_serves_runs_tasks_and_stops_cleanly(tmp_path, signum):
    with scratch_site(tmp_path) as site:
        proc, port, log = start(site, tmp_path)
        try:
            status, body = get_health(port)  # type: ignore[misc]
            assert status == 200
            workers = body["checks"]["workers"]
            assert workers["alive"] == 1
            assert workers["workers"][0]["mode"] == "in-process"

            marker = tmp_path / "ran.txt"
            enqueue(site, f"write_file.enqueue({str(marker)!r}, 'ran')")
            wait_for(marker.exists, timeout=30, message="the task to run")
            assert marker.read_text() == "ran"

            # A task in flight when the signal comes is finished, not abandoned.
            started, done = tmp_path / "started", tmp_path / "done"
            enqueue(site, f"slow_write.enqueue({str(started)!r}, {str(done)!r}, 1.5)")
            wait_for(started.exists, timeout=30, message="the slow task to start")

            proc.send_signal(signum)
            stopped_at = time.monotonic()
            assert proc.wait(timeout=STOP_DEADLINE) == 0, log.read_text()
            assert time.monotonic() - stopped_at < STOP_DEADLINE
        finally:
            stop_process(proc)
        assert done.exists(), "the worker was stopped before finishing its task"
        [beat] = heartbeats(site)
        assert beat["mode"] == "in-process"
        assert beat["stopped_at"] is not None
        assert beat["tasks_run"] == 2

        lines = log.read_text().splitlines()
        assert "Stopped." in lines
        access = [
            json.loads(line) for line in lines if line.startswith("{") and '"chorus.access"' in line
        ]
        assert access, "no JSON access-log lines"
        health_line = next(a for a in access if a["path"] == "/healthz")
        assert health_line["method"] == "GET"
        assert len(health_line["request_id"]) == 32
        assert isinstance(health_line["duration_ms"], float)


def test_it_refuses_to_serve_an_unmigrated_database(tmp_path):
    with scratch_site(tmp_path, migrate=False) as site:
        result = site.chorus("serve", "--port", str(free_port()), check=False, timeout=60)
    assert result.returncode == 1
    assert "chorus migrate" in result.stderr


def test_it_says_when_the_port_is_taken(tmp_path):
    import socket

    with scratch_site(tmp_path) as site, socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = site.chorus("serve", "--port", str(port), check=False, timeout=60)
    assert result.returncode == 1
    assert f"Cannot listen on 127.0.0.1:{port}" in result.stderr
