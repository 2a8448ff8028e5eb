"""Reading configuration from the environment, with defaults for a one-machine install.

Every variable is listed in README.md ("Configuration"); keep the two in step.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import tempfile
from collections.abc import Callable
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parent.parent.parent


def var_dir() -> Path:
    path = Path(os.environ.get("CHORUS_VAR_DIR", REPO_DIR / "var")).resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


def flag(name: str, *, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def csv(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def read_or_create_secret(path: Path, make: Callable[[], str]) -> str:
    """Return the secret stored at `path`, creating it on first use.

    The secret is written in full to a private temporary file, then linked into place.
    Linking fails when the file exists, so the first writer wins when several processes
    (server, workers) start at once and they never end up with different keys; and no
    process can read the file half-written, nor find it empty after a crash.
    """
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")  # mode 0600
    try:
        with os.fdopen(fd, "w") as handle:
            handle.write(make() + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(FileExistsError):
            os.link(tmp, path)
    finally:
        os.unlink(tmp)
    return path.read_text().strip()


def secret_key_file(var: Path | None = None) -> Path | None:
    """The file holding Django's secret key, or None when CHORUS_SECRET_KEY supplies it."""
    if os.environ.get("CHORUS_SECRET_KEY"):
        return None
    return Path(os.environ.get("CHORUS_SECRET_KEY_FILE", (var or var_dir()) / "secret_key"))


def secret_key() -> str:
    path = secret_key_file()
    if path is None:
        return os.environ["CHORUS_SECRET_KEY"]
    return read_or_create_secret(path, lambda: secrets.token_urlsafe(50))
