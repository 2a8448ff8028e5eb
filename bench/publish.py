"""How fast does Chorus publish, and how late does each post leave?

10,000 deliveries fall due at the same instant; a local webhook receiver answers each
after 50 ms. Measured on SQLite with the in-process worker (`make run`) and on PostgreSQL
with 4 `chorus worker` processes. Prints throughput and the p50/p99 lag between a post's
due time and its request arriving at the receiver (loopback, so: leaving Chorus).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
N = int(os.environ.get("BENCH_DELIVERIES", "10000"))
ACCOUNTS = 100
LATENCY = 0.05
WORKERS = 4
PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"
PG_BENCH = "postgres://postgres@127.0.0.1:5432/chorus_bench_publish"


def child(scenario: str) -> None:
    import django

    django.setup()
    import httpx
    from django.core.management import call_command
    from django.utils import timezone

    from chorus.connectors.webhook.tests.receiver import SECRET
    from chorus.orgs.models import Organisation, SocialAccount, Workspace
    from chorus.publishing.delivery.loop import DeliveryLoop
    from chorus.publishing.models import Delivery, DeliveryState, Post, PostState

    call_command("migrate", verbosity=0)
    receiver = subprocess.Popen(
        [sys.executable, str(REPO / "bench" / "webhook_receiver.py"), str(LATENCY)],
        cwd=REPO,
        env=os.environ,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert receiver.stdout is not None
    url = receiver.stdout.readline().strip()
    arrivals_url = url.replace("/hook", "/arrivals")
    credentials = {"url": url, "secret": SECRET, "status_url": url.replace("/hook", "/status")}

    def arrived() -> dict[str, list[float]]:
        return httpx.get(arrivals_url, timeout=60).json()

    try:
        org = Organisation.objects.create(name="Bench")
        workspace = Workspace.objects.create(organisation=org, name="Bench")
        accounts = SocialAccount.objects.bulk_create(
            SocialAccount(
                workspace=workspace,
                network="webhook",
                remote_id=f"hook-{n}",
                handle=f"hook-{n}",
                credentials=credentials,
            )
            for n in range(ACCOUNTS)
        )
        due = timezone.now() + timedelta(seconds=5)
        posts = Post.objects.bulk_create(
            Post(
                workspace=workspace, text=f"Bench {n}", state=PostState.SCHEDULED, scheduled_at=due
            )
            for n in range(N)
        )
        Delivery.objects.bulk_create(
            Delivery(
                post=p,
                account=accounts[n % ACCOUNTS],
                network="webhook",
                state=DeliveryState.SCHEDULED,
                scheduled_for=due,
                due_at=due,
            )
            for n, p in enumerate(posts)
        )
        processes: list[subprocess.Popen[bytes]] = []
        loop = None
        if scenario == "sqlite":
            loop = DeliveryLoop("bench-in-process")
            loop.start()
        else:
            processes = [
                subprocess.Popen(
                    [sys.executable, "-m", "chorus", "worker", "--worker-id", f"bench-{i}"],
                    env=os.environ,
                    cwd=REPO,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
                for i in range(WORKERS)
            ]
        deadline = time.monotonic() + 1800
        while len(arrived()) < N and time.monotonic() < deadline:
            time.sleep(1)
        if loop:
            loop.stop()
            loop.join()
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=60)
        start = due.timestamp()
        seen = arrived()
        lags = sorted(times[0] - start for times in seen.values())
        print(
            json.dumps(
                {
                    "delivered": len(lags),
                    "duplicates": sum(1 for times in seen.values() if len(times) > 1),
                    "seconds": lags[-1] if lags else None,
                    "p50": lags[len(lags) // 2] if lags else None,
                    "p99": lags[int(len(lags) * 0.99) - 1] if lags else None,
                }
            )
        )
    finally:
        receiver.terminate()
        receiver.wait()


def run_child(scenario: str, env: dict[str, str]) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", scenario],
        env=env,
        cwd=REPO,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def recreate_pg() -> None:
    import psycopg

    name = PG_BENCH.rsplit("/", 1)[1]
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
    results = {}
    with tempfile.TemporaryDirectory() as var:
        sqlite_env = {**base, "CHORUS_VAR_DIR": var}
        sqlite_env.pop("CHORUS_DATABASE_URL", None)
        results["sqlite, in-process"] = run_child("sqlite", sqlite_env)
        recreate_pg()
        pg_env = {**base, "CHORUS_VAR_DIR": var, "CHORUS_DATABASE_URL": PG_BENCH}
        results[f"postgres, {WORKERS} workers"] = run_child("postgres", pg_env)
    print(f"{N} deliveries due at once, receiver latency {LATENCY * 1000:.0f} ms (one run):")
    for label, r in results.items():
        rate = r["delivered"] / r["seconds"] if r["seconds"] else 0
        print(
            f"  {label:<22} {rate:7.0f} deliveries/s   lag p50 {r['p50']:6.2f} s   "
            f"p99 {r['p99']:6.2f} s   duplicates {r['duplicates']}"
        )
    sqlite, pg = results["sqlite, in-process"], results[f"postgres, {WORKERS} workers"]
    print(f"  ratio postgres/sqlite throughput: {sqlite['seconds'] / pg['seconds']:.2f}")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        child(sys.argv[2])
    else:
        main()
