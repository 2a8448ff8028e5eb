"""A backup archive: the names of its members, its manifest, and reading it back with
every member checked against the manifest's hashes.

Layout of the .tar.gz:
    database.sqlite3 | database.pgdump   the database (SQLite online-backup copy, or
                                         `pg_dump --format=custom`)
    keys/secret_key, keys/encryption.keys   the files in var/ that sign sessions and
                                         decrypt stored secrets
    media/...                            uploaded files
    manifest.json                        last; version, time, database vendor and the
                                         SHA-256 and size of every other member
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tarfile
import tempfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.conf import settings

from chorus.ops.backup.errors import BackupError
from chorus.ops.backup.locations import database, encryption_key_path, secret_key_path

FORMAT = "chorus-backup"
VERSION = 1
MANIFEST = "manifest.json"
DATABASE_MEMBERS = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
SECRET_KEY_MEMBER = "keys/secret_key"
ENCRYPTION_KEYS_MEMBER = "keys/encryption.keys"
MEDIA_PREFIX = "media/"
CHUNK = 1024 * 1024


@dataclass(frozen=True)
class KeyFile:
    member: str
    # None when the key comes from `variable` in the environment instead of a file.
    path: Path | None
    variable: str


def key_files() -> tuple[KeyFile, ...]:
    return (
        KeyFile(SECRET_KEY_MEMBER, secret_key_path(), "CHORUS_SECRET_KEY"),
        KeyFile(ENCRYPTION_KEYS_MEMBER, encryption_key_path(), "CHORUS_ENCRYPTION_KEYS"),
    )


def check_member_name(name: str) -> None:
    path = PurePosixPath(name)
    allowed = (
        name in DATABASE_MEMBERS.values()
        or name in (SECRET_KEY_MEMBER, ENCRYPTION_KEYS_MEMBER)
        or (name.startswith(MEDIA_PREFIX) and len(path.parts) > 1)
    )
    if (
        not allowed
        or path.is_absolute()
        or ".." in path.parts
        or "\\" in name
        or name != path.as_posix()
    ):
        raise BackupError(f"The backup contains an unexpected file, {name!r}; refusing it.")


def read_manifest(archive: Path) -> dict[str, Any]:
    """Opens the archive and checks its manifest (not yet the members' hashes)."""
    if not archive.is_file():
        raise BackupError(f"{archive} does not exist.")
    with open_archive(archive) as tar:
        try:
            handle = tar.extractfile(MANIFEST)
        except KeyError:
            raise BackupError(f"{archive} is not a Chorus backup: it has no {MANIFEST}.") from None
        if handle is None:
            raise BackupError(f"{archive} is damaged: {MANIFEST} is not a file.")
        try:
            manifest = json.loads(handle.read())
        except (ValueError, UnicodeDecodeError) as exc:
            raise BackupError(f"{archive} is damaged: {MANIFEST} is not valid JSON.") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{archive} is not a Chorus backup.")
    if manifest.get("version") != VERSION:
        raise BackupError(
            f"{archive} is a version {manifest.get('version')} backup; this "
            f"Chorus reads version {VERSION}."
        )
    members = manifest.get("members")
    database_entry = manifest.get("database")
    if not isinstance(members, dict) or not isinstance(database_entry, dict):
        raise BackupError(f"{archive} is damaged: its manifest is incomplete.")
    for name, entry in members.items():
        check_member_name(name)
        if not (
            isinstance(entry, dict)
            and isinstance(entry.get("sha256"), str)
            and isinstance(entry.get("size"), int)
        ):
            raise BackupError(f"{archive} is damaged: the manifest entry for {name} is incomplete.")
    vendor = database_entry.get("vendor")
    if vendor not in DATABASE_MEMBERS or DATABASE_MEMBERS[vendor] not in members:
        raise BackupError(f"{archive} is damaged: it names no database to restore.")
    return manifest


def check_vendor(manifest: dict[str, Any]) -> None:
    vendor, here = manifest["database"]["vendor"], database().vendor
    if vendor != here:
        raise BackupError(
            f"This backup holds a {_vendor_name(vendor)} database, but this Chorus uses "
            f"{_vendor_name(here)}. Restore it into a Chorus configured for "
            f"{_vendor_name(vendor)}."
        )


def verify_archive(archive: Path) -> dict[str, Any]:
    """Checks the manifest, the vendor and every member's hash, changing nothing."""
    manifest = read_manifest(archive)
    check_vendor(manifest)
    with tempfile.TemporaryDirectory(prefix=".chorus-verify-", dir=Path(settings.VAR_DIR)) as tmp:
        extract_verified(archive, manifest, lambda name: Path(tmp) / "member", keep=False)
    return manifest


def extract_verified(
    archive: Path,
    manifest: dict[str, Any],
    destination: Callable[[str], Path],
    *,
    keep: bool = True,
) -> None:
    """Streams every member to destination(name), checking sizes and hashes against the
    manifest. Raises BackupError on the first mismatch, a missing or an extra member."""
    expected: dict[str, dict[str, Any]] = manifest["members"]
    seen: set[str] = set()
    with open_archive(archive) as tar:
        for info in tar:
            if info.name == MANIFEST:
                continue
            if info.name not in expected:
                check_member_name(info.name)
                raise BackupError(
                    f"The backup contains {info.name}, which its manifest does "
                    "not list; it may have been tampered with."
                )
            if info.name in seen:
                raise BackupError(f"The backup contains {info.name} twice.")
            if not info.isreg():
                raise BackupError(f"{info.name} in the backup is not a regular file.")
            seen.add(info.name)
            source = tar.extractfile(info)
            if source is None:  # pragma: no cover - isreg() members always have data
                raise BackupError(f"{info.name} in the backup cannot be read.")
            target = destination(info.name)
            sha256, size = _copy_hashing(source, target)
            entry = expected[info.name]
            if sha256 != entry["sha256"] or size != entry["size"]:
                raise BackupError(
                    f"{info.name} in the backup is damaged: its checksum does "
                    "not match the manifest. Nothing was restored."
                )
            if not keep:
                target.unlink()
    missing = sorted(set(expected) - seen)
    if missing:
        raise BackupError(
            f"The backup is incomplete: {', '.join(missing)} is missing. Nothing was restored."
        )


def record(action: str, archive: Path, manifest: dict[str, Any]) -> None:
    """Notes in the audit trail that the archive was made or restored."""
    from chorus.audit.chain import record as record_event

    record_event(
        action,
        object_type="ops.backup",
        after={
            "archive": archive.name,
            "created_at": manifest.get("created_at"),
            "vendor": manifest["database"]["vendor"],
            "members": len(manifest["members"]),
        },
    )


@contextlib.contextmanager
def open_archive(archive: Path) -> Iterator[tarfile.TarFile]:
    try:
        with tarfile.open(archive, mode="r:gz") as tar:
            yield tar
    except (tarfile.TarError, EOFError, OSError, zlib.error) as exc:
        raise BackupError(
            f"{archive} is not a readable Chorus backup (damaged or not a .tar.gz): {exc}"
        ) from exc


def _copy_hashing(source: IO[bytes], target: Path) -> tuple[str, int]:
    """Writes source to a new private file at target; returns its SHA-256 and size."""
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    digest = hashlib.sha256()
    size = 0
    try:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        out = os.fdopen(fd, "wb")
    except OSError as exc:
        raise BackupError(f"Could not write {target}: {exc.strerror}.") from exc
    with out:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            try:
                out.write(chunk)
            except OSError as exc:
                raise BackupError(f"Could not write {target}: {exc.strerror}.") from exc
    return digest.hexdigest(), size


def _vendor_name(vendor: str) -> str:
    return {"sqlite": "SQLite", "postgresql": "PostgreSQL"}.get(vendor, vendor)
