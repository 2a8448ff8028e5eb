"""Tasks that exist only for the worker tests. They are module-level so that worker
processes can import them by path, like any real task."""

from __future__ import annotations

import os
import time
from pathlib import Path

from django.db import connection
from django_tasks import task

# Created and dropped by the test that uses it; not a product table.
MARKER_TABLE = "chorus_test_task_marker"


@task()
def record_marker(marker: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {MARKER_TABLE} (marker, pid) VALUES (%s, %s)",
            [marker, os.getpid()],
        )
    return marker


@task()
def multiply(a: int, b: int) -> int:
    return a * b


@task()
def fail(message: str) -> None:
    raise ValueError(message)


@task()
def write_file(path: str, text: str) -> str:
    Path(path).write_text(text)
    return path


@task()
def slow_write(started_path: str, done_path: str, seconds: float) -> str:
    Path(started_path).write_text("started")
    time.sleep(seconds)
    Path(done_path).write_text("done")
    return done_path
