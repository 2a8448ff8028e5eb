"""Restoring a backup: every member is extracted and checked beside its final place
before anything is changed, then the database, key files and media are swapped in."""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from django.conf import settings
from django.db import connections
from django.db.migrations.executor import MigrationExecutor
from django.db.utils import DatabaseError

from chorus.ops.backup import postgres, sqlite
from chorus.ops.backup.archive import (
    DATABASE_MEMBERS,
    MEDIA_PREFIX,
    check_vendor,
    extract_verified,
    key_files,
    read_manifest,
    record,
)
from chorus.ops.backup.errors import BackupError
from chorus.ops.backup.locations import database, fsync_dir, install_file, media_root


@dataclass
class RestoreResult:
    manifest: dict[str, Any]
    notes: list[str] = field(default_factory=list)


@dataclass
class _Staged:
    """The checked members, extracted beside where they will go."""

    root: Path
    database: Path
    keys: dict[str, Path]
    media: Path | None

    def discard(self) -> None:
        """Removes whatever was not moved into place."""
        shutil.rmtree(self.root, ignore_errors=True)
        if self.media is not None:
            shutil.rmtree(self.media, ignore_errors=True)


def restore_backup(archive: Path, *, force: bool = False) -> RestoreResult:
    manifest = read_manifest(archive)
    check_vendor(manifest)
    connection = database()
    vendor = connection.vendor
    # Every member is checked before anything here is looked at or changed.
    staged = _stage(archive, manifest)
    notes: list[str] = []
    try:
        if not force:
            _refuse_while_workers_run()
        if vendor == "sqlite" and connection.is_in_memory_db():
            raise BackupError(
                "This Chorus uses an in-memory SQLite database; there is no file to restore into."
            )
        if vendor == "sqlite":
            sqlite.check_copy(staged.database)
            sqlite.restore(connection, staged.database)
        else:
            postgres.check_dump(connection, staged.database)
            postgres.restore(connection, staged.database)
        notes += _restore_keys(manifest, staged.keys)
        _restore_media(staged.media)
    finally:
        staged.discard()

    from chorus.vault import keys

    keys.reset_cache()
    connections.close_all()
    notes += _migration_notes()
    try:
        record("ops.restore", archive, manifest)
    except DatabaseError:
        notes.append(
            "The restore could not be recorded in the audit trail until `chorus migrate` has run."
        )
    return RestoreResult(manifest=manifest, notes=notes)


def _refuse_while_workers_run() -> None:
    from chorus.workers.models import WorkerHeartbeat

    try:
        alive = list(WorkerHeartbeat.objects.alive().values_list("worker_id", flat=True)[:10])
    except DatabaseError:
        # An empty database (restoring onto a new server) has no heartbeat table yet.
        connections.close_all()
        return
    if alive:
        raise BackupError(
            "Workers are running (" + ", ".join(alive) + "). Stop `chorus serve` and every "
            "`chorus worker` before restoring; --force skips this check."
        )


def _stage(archive: Path, manifest: dict[str, Any]) -> _Staged:
    """Extracts and checks every member next to its final place, so moving it there is a
    rename on the same file system."""
    database_member = manifest["database"]["member"]
    root = Path(tempfile.mkdtemp(prefix=".chorus-restore-", dir=Path(settings.VAR_DIR)))
    staged = _Staged(root=root, database=root / database_member, keys={}, media=None)
    if any(name.startswith(MEDIA_PREFIX) for name in manifest["members"]):
        media_root().parent.mkdir(parents=True, exist_ok=True)
        staged.media = _new_media_folder()

    def destination(name: str) -> Path:
        if name == database_member:
            return staged.database
        if name in DATABASE_MEMBERS.values():
            raise BackupError(
                f"The backup contains {name} but is a {manifest['database']['vendor']} backup."
            )
        if name.startswith(MEDIA_PREFIX):
            assert staged.media is not None
            target = staged.media.joinpath(*PurePosixPath(name).parts[1:])
            if not target.resolve().is_relative_to(staged.media.resolve()):
                raise BackupError(f"The backup contains an unexpected file, {name!r}.")
            return target
        staged.keys[name] = root / name
        return root / name

    try:
        extract_verified(archive, manifest, destination)
    except BaseException:
        staged.discard()
        raise
    return staged


def _restore_keys(manifest: dict[str, Any], staged: dict[str, Path]) -> list[str]:
    notes = []
    for key in key_files():
        source = staged.get(key.member)
        if source is None:
            if manifest.get("keys", {}).get(key.member) == "environment":
                notes.append(
                    f"The backup was made with {key.variable} from the environment; "
                    "set the same value here."
                )
            continue
        if key.path is None:
            notes.append(
                f"{key.variable} is set in the environment, so the backup's copy was not "
                "restored; it must match the key the backup was made with."
            )
            continue
        key.path.parent.mkdir(parents=True, exist_ok=True)
        install_file(source, key.path)
        fsync_dir(key.path.parent)
    return notes


def _restore_media(staged: Path | None) -> None:
    """Swaps the media folder for the backup's (an empty one if the backup had none)."""
    root = media_root()
    if staged is None:
        if not root.exists():
            return
        staged = _new_media_folder()
    old = root.with_name(f".{root.name}.before-restore")
    shutil.rmtree(old, ignore_errors=True)
    if root.exists():
        os.replace(root, old)
    os.replace(staged, root)
    shutil.rmtree(old, ignore_errors=True)


def _new_media_folder() -> Path:
    """An empty folder beside the media folder, so swapping them is a rename."""
    return Path(tempfile.mkdtemp(prefix=".chorus-media-restore-", dir=media_root().parent))


def _migration_notes() -> list[str]:
    executor = MigrationExecutor(database())
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        return ["The backup comes from an older version: run `chorus migrate` now."]
    return []
