"""PostgreSQL: pg_dump and pg_restore run against the configured database, and checking
a dump before it replaces anything."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

from django.db import connections

from chorus.ops.backup.errors import BackupError

# Connection OPTIONS that libpq understands and the client tools must get too.
LIBPQ_OPTIONS = (
    "sslmode",
    "sslrootcert",
    "sslcert",
    "sslkey",
    "options",
    "service",
    "target_session_attrs",
    "connect_timeout",
)


def dump(connection: Any, target: Path) -> None:
    conninfo, env = _libpq(connection)
    result = _run("pg_dump", ["--format=custom", f"--file={target}", f"--dbname={conninfo}"], env)
    if result.returncode != 0:
        raise BackupError(f"pg_dump failed: {_stderr(result)}")


def check_dump(connection: Any, dump: Path) -> None:
    _, env = _libpq(connection)
    listing = _run("pg_restore", ["--list", str(dump)], env)
    if listing.returncode != 0:
        raise BackupError(f"The database in the backup cannot be read: {_stderr(listing)}")
    in_dump = set()
    for line in listing.stdout.decode(errors="replace").splitlines():
        parts = line.split()
        # "<id>; <oid> <oid> TABLE <schema> <name> <owner>"
        if len(parts) >= 6 and parts[3] == "TABLE" and parts[4] == "public":
            in_dump.add(parts[5])
    if "django_migrations" not in in_dump:
        raise BackupError("The database in the backup is not a Chorus database.")
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        here = {row[0] for row in cursor.fetchall()}
    extra = sorted(here - in_dump)
    if extra:
        # pg_restore --clean drops only what the dump holds; these would outlive the
        # restore and clash with `chorus migrate` later.
        raise BackupError(
            "This database has tables the backup does not ("
            + ", ".join(extra[:10])
            + ("…" if len(extra) > 10 else "")
            + "): the backup comes from an older "
            "version of Chorus. Restore it into an empty database, then run "
            "`chorus migrate`. Nothing was changed."
        )


def restore(connection: Any, dump: Path) -> None:
    conninfo, env = _libpq(connection)
    connections.close_all()
    result = _run(
        "pg_restore",
        [
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={conninfo}",
            str(dump),
        ],
        env,
    )
    if result.returncode != 0:
        raise BackupError(
            f"pg_restore failed, and the database was left as it was: {_stderr(result)}"
        )


def _libpq(connection: Any) -> tuple[str, dict[str, str]]:
    """A connection string for the PostgreSQL client tools, and an environment carrying
    the password (never on the command line, where `ps` would show it)."""
    from psycopg.conninfo import make_conninfo

    sd = connection.settings_dict
    params = {
        "dbname": sd["NAME"],
        "user": sd.get("USER") or None,
        "host": sd.get("HOST") or None,
        "port": str(sd["PORT"]) if sd.get("PORT") else None,
    }
    for key in LIBPQ_OPTIONS:
        if key in sd.get("OPTIONS", {}):
            params[key] = str(sd["OPTIONS"][key])
    env = dict(os.environ)
    if sd.get("PASSWORD"):
        env["PGPASSWORD"] = sd["PASSWORD"]
    return make_conninfo(**{k: v for k, v in params.items() if v is not None}), env


def _run(tool: str, args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[bytes]:
    executable = shutil.which(tool)
    if executable is None:
        raise BackupError(
            f"{tool} was not found. Install the PostgreSQL client tools "
            "(the same major version as the server, or newer)."
        )
    # The arguments are paths and a connection string built here, never shell text.
    return subprocess.run([executable, *args], env=env, capture_output=True, check=False)  # noqa: S603


def _stderr(result: subprocess.CompletedProcess[bytes]) -> str:
    return result.stderr.decode(errors="replace").strip()
