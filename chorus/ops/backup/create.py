"""Making a backup: the database copy, the key files and media into one .tar.gz.

The manifest comes last so each member is hashed while it is written: a file that
changes during the backup cannot end up with a hash that does not match its bytes.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import IO, Any

from django.db.migrations.recorder import MigrationRecorder

from chorus.ops.backup import postgres, sqlite
from chorus.ops.backup.archive import (
    DATABASE_MEMBERS,
    FORMAT,
    MANIFEST,
    MEDIA_PREFIX,
    VERSION,
    key_files,
    record,
)
from chorus.ops.backup.errors import BackupError
from chorus.ops.backup.locations import database, default_output, media_root


@dataclass
class BackupResult:
    path: Path
    size: int
    members: int
    manifest: dict[str, Any]
    notes: list[str] = field(default_factory=list)


def create_backup(output: Path | None = None) -> BackupResult:
    connection = database()
    vendor = connection.vendor
    if vendor not in DATABASE_MEMBERS:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {vendor}.")
    output = _output_file(output)

    notes: list[str] = []
    members: dict[str, dict[str, Any]] = {}
    keys_note: dict[str, str] = {}
    tmp_dir = Path(tempfile.mkdtemp(prefix=".chorus-backup-", dir=output.parent))
    partial = tmp_dir / "archive.tar.gz"
    try:
        dump = tmp_dir / DATABASE_MEMBERS[vendor]
        (sqlite.dump if vendor == "sqlite" else postgres.dump)(connection, dump)
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with (
            os.fdopen(fd, "wb") as raw,
            tarfile.open(fileobj=raw, mode="w:gz", compresslevel=6) as tar,
        ):
            members[dump.name] = _add_file(tar, dump, dump.name)
            for key in key_files():
                if key.path is None:
                    keys_note[key.member] = "environment"
                    notes.append(
                        f"{key.variable} comes from the environment, so the archive does "
                        "not contain it: keep it safe separately."
                    )
                elif key.path.is_file():
                    members[key.member] = _add_file(tar, key.path, key.member)
                    keys_note[key.member] = "included"
                else:
                    keys_note[key.member] = "absent"
            for path, name in _media_files():
                members[name] = _add_file(tar, path, name)
            manifest = {
                "format": FORMAT,
                "version": VERSION,
                "created_at": datetime.now(UTC).isoformat(),
                "chorus_version": _chorus_version(),
                "database": {
                    "vendor": vendor,
                    "member": dump.name,
                    "migrations": _applied_migrations(connection),
                },
                "keys": keys_note,
                "members": members,
            }
            _add_manifest(tar, manifest)
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(partial, output)
    finally:
        shutil.rmtree(tmp_dir, ignore_errors=True)
    # After the dump, so the event is not in the archive it describes.
    record("ops.backup", output, manifest)
    return BackupResult(
        path=output,
        size=output.stat().st_size,
        members=len(members),
        manifest=manifest,
        notes=notes,
    )


def _output_file(output: Path | None) -> Path:
    """The archive's path: a new file, never one that exists."""
    if output is None:
        output = default_output()
        output.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    elif output.is_dir():
        output = output / default_output().name
    if output.exists():
        raise BackupError(f"{output} already exists; choose another file.")
    if not output.parent.is_dir():
        raise BackupError(f"The folder {output.parent} does not exist.")
    return output


class _HashingReader:
    def __init__(self, raw: IO[bytes]) -> None:
        self.raw = raw
        self.sha = hashlib.sha256()
        self.size = 0

    def read(self, n: int = -1) -> bytes:
        data = self.raw.read(n)
        self.sha.update(data)
        self.size += len(data)
        return data


def _add_file(tar: tarfile.TarFile, path: Path, name: str) -> dict[str, Any]:
    info = tar.gettarinfo(str(path), arcname=name)
    info.mode = 0o600
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    with path.open("rb") as handle:
        reader = _HashingReader(handle)
        try:
            tar.addfile(info, reader)  # type: ignore[arg-type]
        except OSError as exc:
            raise BackupError(
                f"{path} changed while it was being backed up; run the backup again."
            ) from exc
    return {"sha256": reader.sha.hexdigest(), "size": reader.size}


def _add_manifest(tar: tarfile.TarFile, manifest: dict[str, Any]) -> None:
    body = json.dumps(manifest, indent=2, sort_keys=True).encode()
    info = tarfile.TarInfo(MANIFEST)
    info.size = len(body)
    info.mode = 0o600
    info.mtime = int(datetime.now(UTC).timestamp())
    tar.addfile(info, io.BytesIO(body))


def _media_files() -> Iterator[tuple[Path, str]]:
    root = media_root()
    if not root.is_dir():
        return
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(files):
            path = Path(folder) / name
            if path.is_symlink() or not path.is_file():
                continue
            yield path, MEDIA_PREFIX + path.relative_to(root).as_posix()


def _applied_migrations(connection: Any) -> dict[str, str]:
    latest: dict[str, str] = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        if name > latest.get(app, ""):
            latest[app] = name
    return dict(sorted(latest.items()))


def _chorus_version() -> str:
    try:
        return metadata.version("chorus")
    except metadata.PackageNotFoundError:
        return "unknown"
