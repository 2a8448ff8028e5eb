"""SQLite: a consistent copy of the live database file, checking a copy, and putting one
back in place of the live file."""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path
from typing import Any

from django.db import connections

from chorus.ops.backup.errors import BackupError
from chorus.ops.backup.locations import fsync_dir, install_file


def dump(connection: Any, target: Path) -> None:
    name = str(connection.settings_dict["NAME"])
    # sqlite3's online backup copies a consistent snapshot while others keep working.
    source = sqlite3.connect(name, uri=name.startswith("file:"), timeout=30)
    try:
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)
            # One self-contained file: no -wal beside it in the archive.
            copy.execute("PRAGMA journal_mode=DELETE")
        finally:
            copy.close()
    except sqlite3.Error as exc:
        raise BackupError(f"Could not copy the SQLite database: {exc}") from exc
    finally:
        source.close()


def check_copy(path: Path) -> None:
    try:
        with contextlib.closing(sqlite3.connect(path)) as db:
            verdict = db.execute("PRAGMA quick_check").fetchone()[0]
            has_migrations = db.execute(
                "SELECT 1 FROM sqlite_master WHERE name = 'django_migrations'"
            ).fetchone()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"The database in the backup cannot be read: {exc}") from exc
    if verdict != "ok":
        raise BackupError(f"The database in the backup is damaged: {verdict}")
    if not has_migrations:
        raise BackupError("The database in the backup is not a Chorus database.")


def restore(connection: Any, staged: Path) -> None:
    target = Path(connection.settings_dict["NAME"])
    connections.close_all()
    if target.exists():
        # Fold the write-ahead log into the old file and empty it: a leftover -wal would
        # otherwise be replayed onto the restored file.
        try:
            with contextlib.closing(sqlite3.connect(target, timeout=30)) as db:
                db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except sqlite3.DatabaseError as exc:
            raise BackupError(f"The current database is busy or damaged: {exc}") from exc
    install_file(staged, target)
    for suffix in ("-wal", "-shm", "-journal"):
        target.with_name(target.name + suffix).unlink(missing_ok=True)
    fsync_dir(target.parent)
