"""Running real `chorus` processes from tests, each against a database of its own.

On the SQLite pass a scratch site is a fresh CHORUS_VAR_DIR whose chorus.sqlite3 the
processes create; on the PostgreSQL pass it also gets a throwaway database on the same
server as the test database, dropped afterwards.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import psycopg
from django.db import connection

REPO_ROOT = Path(__file__).resolve().parents[3]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def postgres_url(settings_dict: dict[str, Any], name: str | None = None) -> str:
    user = quote(settings_dict.get("USER") or "", safe="")
    password = quote(settings_dict.get("PASSWORD") or "", safe="")
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or 5432
    return f"postgres://{auth}{host}:{port}/{name or settings_dict['NAME']}"


def current_database_url() -> str:
    """The URL of the database this pytest run uses (the test_ one), for subprocesses."""
    return postgres_url(connection.settings_dict)


def base_env(var_dir: Path, database_url: str | None = None, **extra: str) -> dict[str, str]:
    # Start from a clean slate: an inherited CHORUS_* variable (keys, database) would make
    # the child process use the developer's setup instead of the scratch one.
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHORUS_")}
    env.update(
        PYTHONPATH=str(REPO_ROOT),
        DJANGO_SETTINGS_MODULE="chorus.config.settings",
        CHORUS_VAR_DIR=str(var_dir),
        PYTHONUNBUFFERED="1",
    )
    if database_url:
        env["CHORUS_DATABASE_URL"] = database_url
    env.update(extra)
    return env


def _admin_connection() -> psycopg.Connection[Any]:
    sd = connection.settings_dict
    return psycopg.connect(
        dbname="postgres",
        user=sd.get("USER") or None,
        password=sd.get("PASSWORD") or None,
        host=sd.get("HOST") or "127.0.0.1",
        port=sd.get("PORT") or 5432,
        autocommit=True,
    )


@dataclass
class ScratchSite:
    var_dir: Path
    database_url: str | None
    env: dict[str, str]

    @property
    def vendor(self) -> str:
        return "postgresql" if self.database_url else "sqlite"

    @property
    def sqlite_path(self) -> Path:
        return self.var_dir / "chorus.sqlite3"

    def chorus(
        self, *args: str, check: bool = True, timeout: float = 180, **extra_env: str
    ) -> subprocess.CompletedProcess[str]:
        return run(
            [sys.executable, "-m", "chorus", *args],
            {**self.env, **extra_env},
            check=check,
            timeout=timeout,
        )

    def python(
        self, module: str, *args: str, check: bool = True, timeout: float = 180
    ) -> subprocess.CompletedProcess[str]:
        return run([sys.executable, "-m", module, *args], self.env, check=check, timeout=timeout)

    def django(self, code: str, *, check: bool = True) -> subprocess.CompletedProcess[str]:
        """Runs Python code in a process set up with this site's settings."""
        return run(
            [sys.executable, "-c", "import django; django.setup()\n" + code], self.env, check=check
        )

    def popen(self, *args: str, log: Path, **extra_env: str) -> subprocess.Popen[bytes]:
        handle = log.open("wb")
        try:
            return subprocess.Popen(
                [sys.executable, "-m", "chorus", *args],
                env={**self.env, **extra_env},
                stdout=handle,
                stderr=subprocess.STDOUT,
                cwd=self.var_dir,
            )
        finally:
            handle.close()


def run(
    argv: list[str], env: dict[str, str], *, check: bool = True, timeout: float = 180
) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        argv,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        cwd=env.get("CHORUS_VAR_DIR"),
    )
    if check and result.returncode != 0:
        raise AssertionError(
            f"{' '.join(argv[2:])} exited with {result.returncode}\n"
            f"--- stdout\n{result.stdout}\n--- stderr\n{result.stderr}"
        )
    return result


@contextmanager
def scratch_site(tmp_path: Path, *, migrate: bool = True) -> Iterator[ScratchSite]:
    var_dir = tmp_path / "var"
    var_dir.mkdir()
    name = None
    if connection.vendor == "postgresql":
        name = f"chorus_scratch_{uuid.uuid4().hex[:12]}"
        with _admin_connection() as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
    url = postgres_url(connection.settings_dict, name) if name else None
    site = ScratchSite(var_dir=var_dir, database_url=url, env=base_env(var_dir, url))
    try:
        if migrate:
            site.chorus("migrate", "--no-input", "-v", "0")
        yield site
    finally:
        if name:
            with _admin_connection() as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def wait_for(
    condition: Callable[[], Any],
    *,
    timeout: float,
    interval: float = 0.1,
    message: str = "condition",
) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"Timed out after {timeout:.0f} s waiting for {message}")
        time.sleep(interval)


def stop_process(proc: subprocess.Popen[bytes]) -> None:
    """Last-resort cleanup for a test that failed before stopping its process."""
    if proc.poll() is None:
        proc.kill()
        proc.wait(timeout=10)
