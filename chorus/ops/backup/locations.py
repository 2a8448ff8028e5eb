"""Where the things a backup holds live on this server, and how one of them is put in
place without a moment where it is half-written."""

from __future__ import annotations

import contextlib
import os
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

from chorus.config.env import secret_key_file


def database() -> Any:
    return connections[DEFAULT_DB_ALIAS]


def secret_key_path() -> Path | None:
    """None when CHORUS_SECRET_KEY supplies the key."""
    return secret_key_file(Path(settings.VAR_DIR))


def encryption_key_path() -> Path | None:
    """None when CHORUS_ENCRYPTION_KEYS supplies the keys."""
    from chorus.vault import keys

    return None if keys.keys_from_environment() else keys.key_file()


def media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


def default_output() -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    return Path(settings.VAR_DIR) / "backups" / f"chorus-backup-{stamp}.tar.gz"


def install_file(source: Path, target: Path) -> None:
    """Moves source over target, private and on disk before the rename, so a crash
    leaves either the old file or the whole new one. The caller syncs the folder."""
    replacement = target.with_name(f".{target.name}.restoring")
    shutil.move(source, replacement)
    os.chmod(replacement, 0o600)
    _fsync(replacement)
    os.replace(replacement, target)


def fsync_dir(path: Path) -> None:
    # Not every file system lets a folder be opened for syncing; the rename stands anyway.
    with contextlib.suppress(OSError):
        _fsync(path)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
