"""Worker processes for tests and benchmarks: `chorus worker` started against the test
database, killed with SIGKILL and restarted on demand."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[4]


def worker_env(**overrides: str) -> dict[str, str]:
    db = connection.settings_dict
    env = dict(os.environ)
    env.update(
        PYTHONPATH=str(ROOT),
        DJANGO_SETTINGS_MODULE="chorus.config.settings",
        CHORUS_VAR_DIR=str(settings.VAR_DIR),
        CHORUS_DATABASE_URL=(
            f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        ),
    )
    env.update(overrides)
    return env


class Fleet:
    def __init__(self, size: int, env: dict[str, str], log_dir: Path) -> None:
        self.size = size
        self.env = env
        self.log_dir = log_dir
        log_dir.mkdir(parents=True, exist_ok=True)
        self.processes: list[subprocess.Popen[bytes]] = []
        self.started = 0
        self.killed = 0

    def start(self) -> None:
        while len(self.processes) < self.size:
            self._spawn()

    def _spawn(self) -> None:
        self.started += 1
        log = (self.log_dir / f"worker-{self.started}.log").open("wb")
        self.processes.append(
            subprocess.Popen(
                [sys.executable, "-m", "chorus", "worker", "--worker-id", f"w{self.started}"],
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=ROOT,
            )
        )

    def kill_one(self, rng: random.Random) -> None:
        victim = self.processes.pop(rng.randrange(len(self.processes)))
        victim.send_signal(signal.SIGKILL)
        victim.wait()
        self.killed += 1
        self._spawn()

    def stop(self) -> None:
        for process in self.processes:
            process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        self.processes.clear()
