"""Backups of a whole Chorus: database, keys and uploaded media in one .tar.gz.

Archive layout:
    database.sqlite3 | database.pgdump   the database (SQLite online-backup copy, or
                                         `pg_dump --format=custom`)
    keys/secret_key, keys/encryption.keys   the files in var/ that sign sessions and
                                         decrypt stored secrets
    media/...                            uploaded files
    manifest.json                        last; version, time, database vendor and the
                                         SHA-256 and size of every other member

The manifest comes last so each member is hashed while it is written: a file that
changes during the backup cannot end up with a hash that does not match its bytes.
A restore checks every hash before it changes anything.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder
from django.db.utils import DatabaseError

from chorus.config.env import secret_key_file

FORMAT = "chorus-backup"
VERSION = 1
MANIFEST = "manifest.json"
DATABASE_MEMBERS = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
SECRET_KEY_MEMBER = "keys/secret_key"
ENCRYPTION_KEYS_MEMBER = "keys/encryption.keys"
MEDIA_PREFIX = "media/"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why and what to do."""


@dataclass
class BackupResult:
    path: Path
    size: int
    members: int
    manifest: dict[str, Any]
    notes: list[str] = field(default_factory=list)


@dataclass
class RestoreResult:
    manifest: dict[str, Any]
    notes: list[str] = field(default_factory=list)


# --- where things live ------------------------------------------------------------------


def _db() -> Any:
    return connections[DEFAULT_DB_ALIAS]


def encryption_key_file() -> Path | None:
    from chorus.vault import keys

    return None if keys.keys_from_environment() else keys.key_file()


def media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


def default_output() -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    return Path(settings.VAR_DIR) / "backups" / f"chorus-backup-{stamp}.tar.gz"


# --- making a backup --------------------------------------------------------------------


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


def create_backup(output: Path | None = None) -> BackupResult:
    connection = _db()
    vendor = connection.vendor
    if vendor not in DATABASE_MEMBERS:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {vendor}.")
    if output is None:
        output = default_output()
        output.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    elif output.is_dir():
        output = output / default_output().name
    if output.exists():
        raise BackupError(f"{output} already exists; choose another file.")
    if not output.parent.is_dir():
        raise BackupError(f"The folder {output.parent} does not exist.")

    notes: list[str] = []
    members: dict[str, dict[str, Any]] = {}
    keys_note: dict[str, str] = {}
    tmp_dir = Path(tempfile.mkdtemp(prefix=".chorus-backup-", dir=output.parent))
    partial = tmp_dir / "archive.tar.gz"
    try:
        dump = tmp_dir / DATABASE_MEMBERS[vendor]
        if vendor == "sqlite":
            _dump_sqlite(connection, dump)
        else:
            _dump_postgres(connection, dump)
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with (
            os.fdopen(fd, "wb") as raw,
            tarfile.open(fileobj=raw, mode="w:gz", compresslevel=6) as tar,
        ):
            members[dump.name] = _add_file(tar, dump, dump.name)
            for member, path, label in (
                (SECRET_KEY_MEMBER, secret_key_file(Path(settings.VAR_DIR)), "CHORUS_SECRET_KEY"),
                (ENCRYPTION_KEYS_MEMBER, encryption_key_file(), "CHORUS_ENCRYPTION_KEYS"),
            ):
                if path is None:
                    keys_note[member] = "environment"
                    notes.append(
                        f"{label} comes from the environment, so the archive does "
                        "not contain it: keep it safe separately."
                    )
                elif path.is_file():
                    members[member] = _add_file(tar, path, member)
                    keys_note[member] = "included"
                else:
                    keys_note[member] = "absent"
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
                    "migrations": _applied_migrations(),
                },
                "keys": keys_note,
                "members": members,
            }
            body = json.dumps(manifest, indent=2, sort_keys=True).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(body)
            info.mode = 0o600
            info.mtime = int(datetime.now(UTC).timestamp())
            tar.addfile(info, io.BytesIO(body))
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(partial, output)
    finally:
        shutil.rmtree(tmp_dir, ignore_errors=True)
    # After the dump, so the event is not in the archive it describes.
    _record("ops.backup", output, manifest)
    return BackupResult(
        path=output,
        size=output.stat().st_size,
        members=len(members),
        manifest=manifest,
        notes=notes,
    )


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


def _dump_sqlite(connection: Any, target: Path) -> None:
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
    for key in (
        "sslmode",
        "sslrootcert",
        "sslcert",
        "sslkey",
        "options",
        "service",
        "target_session_attrs",
        "connect_timeout",
    ):
        if key in sd.get("OPTIONS", {}):
            params[key] = str(sd["OPTIONS"][key])
    env = dict(os.environ)
    if sd.get("PASSWORD"):
        env["PGPASSWORD"] = sd["PASSWORD"]
    return make_conninfo(**{k: v for k, v in params.items() if v is not None}), env


def _pg_tool(tool: str, args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[bytes]:
    executable = shutil.which(tool)
    if executable is None:
        raise BackupError(
            f"{tool} was not found. Install the PostgreSQL client tools "
            "(the same major version as the server, or newer)."
        )
    # The arguments are paths and a connection string built here, never shell text.
    return subprocess.run([executable, *args], env=env, capture_output=True, check=False)  # noqa: S603


def _dump_postgres(connection: Any, target: Path) -> None:
    conninfo, env = _libpq(connection)
    result = _pg_tool(
        "pg_dump", ["--format=custom", f"--file={target}", f"--dbname={conninfo}"], env
    )
    if result.returncode != 0:
        raise BackupError(f"pg_dump failed: {result.stderr.decode(errors='replace').strip()}")


def _applied_migrations() -> dict[str, str]:
    latest: dict[str, str] = {}
    for app, name in MigrationRecorder(_db()).applied_migrations():
        if name > latest.get(app, ""):
            latest[app] = name
    return dict(sorted(latest.items()))


def _chorus_version() -> str:
    try:
        return metadata.version("chorus")
    except metadata.PackageNotFoundError:
        return "unknown"


# --- checking an archive ----------------------------------------------------------------


@dataclass
class _Staged:
    """A member extracted beside where it will go, ready to be moved into place."""

    manifest: dict[str, Any]
    root: Path
    database: Path
    keys: dict[str, Path]
    media: Path | None


def read_manifest(archive: Path) -> dict[str, Any]:
    """Opens the archive and checks its manifest (not yet the members' hashes)."""
    if not archive.is_file():
        raise BackupError(f"{archive} does not exist.")
    with _open(archive) as tar:
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
    database = manifest.get("database")
    if not isinstance(members, dict) or not isinstance(database, dict):
        raise BackupError(f"{archive} is damaged: its manifest is incomplete.")
    for name, entry in members.items():
        _check_member_name(name)
        if not (
            isinstance(entry, dict)
            and isinstance(entry.get("sha256"), str)
            and isinstance(entry.get("size"), int)
        ):
            raise BackupError(f"{archive} is damaged: the manifest entry for {name} is incomplete.")
    vendor = database.get("vendor")
    if vendor not in DATABASE_MEMBERS or DATABASE_MEMBERS[vendor] not in members:
        raise BackupError(f"{archive} is damaged: it names no database to restore.")
    return manifest


def check_vendor(manifest: dict[str, Any]) -> None:
    vendor, here = manifest["database"]["vendor"], _db().vendor
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
        _extract_verified(archive, manifest, lambda name: Path(tmp) / "member", keep=False)
    return manifest


def _vendor_name(vendor: str) -> str:
    return {"sqlite": "SQLite", "postgresql": "PostgreSQL"}.get(vendor, vendor)


def _check_member_name(name: str) -> None:
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


@contextlib.contextmanager
def _open(archive: Path) -> Iterator[tarfile.TarFile]:
    try:
        with tarfile.open(archive, mode="r:gz") as tar:
            yield tar
    except (tarfile.TarError, EOFError, OSError, zlib.error) as exc:
        raise BackupError(
            f"{archive} is not a readable Chorus backup (damaged or not a .tar.gz): {exc}"
        ) from exc


def _extract_verified(
    archive: Path, manifest: dict[str, Any], destination: Any, *, keep: bool = True
) -> None:
    """Streams every member to destination(name), checking sizes and hashes against the
    manifest. Raises BackupError on the first mismatch, a missing or an extra member."""
    expected: dict[str, dict[str, Any]] = manifest["members"]
    seen: set[str] = set()
    with _open(archive) as tar:
        for info in tar:
            if info.name == MANIFEST:
                continue
            if info.name not in expected:
                _check_member_name(info.name)
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
            target: Path = destination(info.name)
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
            entry = expected[info.name]
            if digest.hexdigest() != entry["sha256"] or size != entry["size"]:
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


# --- restoring ----------------------------------------------------------------------------


def restore_backup(archive: Path, *, force: bool = False) -> RestoreResult:
    manifest = read_manifest(archive)
    check_vendor(manifest)
    connection = _db()
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
            _check_sqlite_copy(staged.database)
            _restore_sqlite(connection, staged.database)
        else:
            _check_postgres_dump(connection, staged.database)
            _restore_postgres(connection, staged.database)
        notes += _restore_keys(manifest, staged.keys)
        _restore_media(staged.media)
    finally:
        shutil.rmtree(staged.root, ignore_errors=True)
        if staged.media is not None:
            shutil.rmtree(staged.media, ignore_errors=True)

    from chorus.vault import keys

    keys.reset_cache()
    connections.close_all()
    notes += _migration_notes()
    try:
        _record("ops.restore", archive, manifest)
    except DatabaseError:
        notes.append(
            "The restore could not be recorded in the audit trail until `chorus migrate` has run."
        )
    return RestoreResult(manifest=manifest, notes=notes)


def _record(action: str, archive: Path, manifest: dict[str, Any]) -> None:
    from chorus.audit.chain import record

    record(
        action,
        object_type="ops.backup",
        after={
            "archive": archive.name,
            "created_at": manifest.get("created_at"),
            "vendor": manifest["database"]["vendor"],
            "members": len(manifest["members"]),
        },
    )


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
    root = Path(tempfile.mkdtemp(prefix=".chorus-restore-", dir=Path(settings.VAR_DIR)))
    media_stage: Path | None = None
    database = root / manifest["database"]["member"]
    staged_keys: dict[str, Path] = {}
    if any(name.startswith(MEDIA_PREFIX) for name in manifest["members"]):
        parent = media_root().parent
        parent.mkdir(parents=True, exist_ok=True)
        media_stage = Path(tempfile.mkdtemp(prefix=".chorus-media-restore-", dir=parent))

    def destination(name: str) -> Path:
        if name == manifest["database"]["member"] or name in DATABASE_MEMBERS.values():
            if name != manifest["database"]["member"]:
                raise BackupError(
                    f"The backup contains {name} but is a {manifest['database']['vendor']} backup."
                )
            return database
        if name.startswith(MEDIA_PREFIX):
            assert media_stage is not None
            target = media_stage.joinpath(*PurePosixPath(name).parts[1:])
            if not target.resolve().is_relative_to(media_stage.resolve()):
                raise BackupError(f"The backup contains an unexpected file, {name!r}.")
            return target
        staged_keys[name] = root / name
        return root / name

    try:
        _extract_verified(archive, manifest, destination)
    except BaseException:
        shutil.rmtree(root, ignore_errors=True)
        if media_stage is not None:
            shutil.rmtree(media_stage, ignore_errors=True)
        raise
    return _Staged(
        manifest=manifest, root=root, database=database, keys=staged_keys, media=media_stage
    )


def _check_sqlite_copy(path: Path) -> None:
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


def _restore_sqlite(connection: Any, staged: Path) -> None:
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
    replacement = target.with_name(f".{target.name}.restoring")
    shutil.move(staged, replacement)
    os.chmod(replacement, 0o600)
    _fsync(replacement)
    os.replace(replacement, target)
    for suffix in ("-wal", "-shm", "-journal"):
        target.with_name(target.name + suffix).unlink(missing_ok=True)
    _fsync_dir(target.parent)


def _check_postgres_dump(connection: Any, dump: Path) -> None:
    _, env = _libpq(connection)
    listing = _pg_tool("pg_restore", ["--list", str(dump)], env)
    if listing.returncode != 0:
        raise BackupError(
            "The database in the backup cannot be read: "
            f"{listing.stderr.decode(errors='replace').strip()}"
        )
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


def _restore_postgres(connection: Any, dump: Path) -> None:
    conninfo, env = _libpq(connection)
    connections.close_all()
    result = _pg_tool(
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
            "pg_restore failed, and the database was left as it was: "
            f"{result.stderr.decode(errors='replace').strip()}"
        )


def _restore_keys(manifest: dict[str, Any], staged: dict[str, Path]) -> list[str]:
    notes = []
    for member, target, label in (
        (SECRET_KEY_MEMBER, secret_key_file(Path(settings.VAR_DIR)), "CHORUS_SECRET_KEY"),
        (ENCRYPTION_KEYS_MEMBER, encryption_key_file(), "CHORUS_ENCRYPTION_KEYS"),
    ):
        source = staged.get(member)
        if source is None:
            if manifest.get("keys", {}).get(member) == "environment":
                notes.append(
                    f"The backup was made with {label} from the environment; "
                    "set the same value here."
                )
            continue
        if target is None:
            notes.append(
                f"{label} is set in the environment, so the backup's copy was not "
                "restored; it must match the key the backup was made with."
            )
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        replacement = target.with_name(f".{target.name}.restoring")
        shutil.move(source, replacement)
        os.chmod(replacement, 0o600)
        _fsync(replacement)
        os.replace(replacement, target)
        _fsync_dir(target.parent)
    return notes


def _restore_media(staged: Path | None) -> None:
    """Swaps the media folder for the backup's (an empty one if the backup had none)."""
    root = media_root()
    if staged is None:
        if not root.exists():
            return
        staged = Path(tempfile.mkdtemp(prefix=".chorus-media-restore-", dir=root.parent))
    old = root.with_name(f".{root.name}.before-restore")
    shutil.rmtree(old, ignore_errors=True)
    if root.exists():
        os.replace(root, old)
    os.replace(staged, root)
    shutil.rmtree(old, ignore_errors=True)


def _migration_notes() -> list[str]:
    executor = MigrationExecutor(_db())
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        return ["The backup comes from an older version: run `chorus migrate` now."]
    return []


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):
        _fsync(path)
