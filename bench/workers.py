"""How fast do background workers drain a queue, and how does that scale with processes?

Enqueues N no-op tasks into a throwaway PostgreSQL database, drains them with 1 and then
3 `chorus worker` processes, and does the same on SQLite with 1 process. Prints tasks per
second and the ratios measured in this one run.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
N = int(os.environ.get("BENCH_TASKS", "2000"))
PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"


def run(args: list[str], env: dict[str, str]) -> None:
    subprocess.run(
        [sys.executable, "-m", "chorus", *args],
        env=env,
        check=True,
        cwd=REPO,
        stdout=subprocess.DEVNULL,
    )


def enqueue(env: dict[str, str]) -> None:
    code = (
        "import django; django.setup()\n"
        "from bench.noop_tasks import noop\n"
        f"for i in range({N}): noop.enqueue(i)\n"
    )
    subprocess.run([sys.executable, "-c", code], env=env, check=True, cwd=REPO)


def drain(env: dict[str, str], workers: int) -> float:
    """Seconds from the first task starting to the last finishing, as the database recorded
    them, so process start-up is not counted."""
    enqueue(env)
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "chorus", "worker", "--batch", "--interval", "0"],
            env=env,
            cwd=REPO,
            stdout=subprocess.DEVNULL,
        )
        for _ in range(workers)
    ]
    for proc in procs:
        proc.wait(timeout=600)
    code = (
        "import django; django.setup()\n"
        "from django.db.models import Max, Min\n"
        "from django_tasks_db.models import DBTaskResult\n"
        "r = DBTaskResult.objects.aggregate(a=Min('started_at'), b=Max('finished_at'))\n"
        "print((r['b'] - r['a']).total_seconds())\n"
        "DBTaskResult.objects.all().delete()\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, check=True, cwd=REPO, capture_output=True, text=True
    ).stdout
    return float(out.strip().splitlines()[-1])


def recreate_pg(name: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def main() -> None:
    base = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "DJANGO_SETTINGS_MODULE": "chorus.config.settings",
        "CHORUS_LOG_LEVEL": "WARNING",
    }
    results: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as var:
        sqlite_env = {**base, "CHORUS_VAR_DIR": var}
        sqlite_env.pop("CHORUS_DATABASE_URL", None)
        run(["migrate", "-v", "0"], sqlite_env)
        results["sqlite, 1 worker"] = N / drain(sqlite_env, 1)

        recreate_pg("chorus_bench")
        pg_env = {
            **base,
            "CHORUS_VAR_DIR": var,
            "CHORUS_DATABASE_URL": "postgres://postgres@127.0.0.1:5432/chorus_bench",
        }
        run(["migrate", "-v", "0"], pg_env)
        for workers in (1, 3):
            results[f"postgres, {workers} worker(s)"] = N / drain(pg_env, workers)

    print(f"Draining {N} no-op tasks (2 cores; one run):")
    for label, rate in results.items():
        print(f"  {label:<24} {rate:8.0f} tasks/s")
    one, three = results["postgres, 1 worker(s)"], results["postgres, 3 worker(s)"]
    print(f"  ratio postgres 3 workers / 1 worker: {three / one:.2f}")
    print(f"  ratio postgres 1 worker / sqlite 1 worker: {one / results['sqlite, 1 worker']:.2f}")


if __name__ == "__main__":
    main()
