"""Keys for secrets at rest.

The key file holds one Fernet key per line, newest first. Encryption always uses the
newest; decryption tries each, which is what lets `chorus keys rotate` re-encrypt rows
while old ciphertexts stay readable.

Several processes (server, workers) share the key file. Each notices when the file
changes and reloads it, so after a rotation no process goes on encrypting with a key
that has been retired.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

from chorus.config.env import read_or_create_secret

ENV_KEYS = "CHORUS_ENCRYPTION_KEYS"

_lock = threading.Lock()
_cached: tuple[tuple[object, ...], MultiFernet] | None = None


class VaultError(Exception):
    pass


def key_file() -> Path:
    return Path(settings.CHORUS_ENCRYPTION_KEY_FILE)


def keys_from_environment() -> bool:
    return bool(os.environ.get(ENV_KEYS))


def load_keys() -> list[bytes]:
    if env := os.environ.get(ENV_KEYS):
        return [k.strip().encode() for k in env.split(",") if k.strip()]
    text = read_or_create_secret(key_file(), lambda: Fernet.generate_key().decode())
    return [line.strip().encode() for line in text.splitlines() if line.strip()]


def _source() -> tuple[object, ...]:
    """What the keys were read from; when it changes, the keys are read again."""
    if env := os.environ.get(ENV_KEYS):
        return ("env", env)
    path = key_file()
    try:
        st = path.stat()
    except FileNotFoundError:
        return ("missing", str(path))
    # A rewrite replaces the file (new inode), so this changes even within one mtime tick.
    return ("file", str(path), st.st_ino, st.st_mtime_ns, st.st_size)


def _build(keys: list[bytes]) -> MultiFernet:
    if not keys:
        where = ENV_KEYS if keys_from_environment() else str(key_file())
        raise VaultError(f"No encryption key configured in {where}.")
    try:
        return MultiFernet([Fernet(k) for k in keys])
    except ValueError as exc:
        where = ENV_KEYS if keys_from_environment() else str(key_file())
        raise VaultError(
            f"An encryption key in {where} is not a valid Fernet key "
            "(32 url-safe base64-encoded bytes)."
        ) from exc


def cipher() -> MultiFernet:
    global _cached
    cached = _cached
    if cached is not None and cached[0] == _source():
        return cached[1]
    with _lock:
        keys = load_keys()  # creates the file on first use, so read the source after
        built = _build(keys)
        _cached = (_source(), built)
        return built


def reset_cache() -> None:
    global _cached
    with _lock:
        _cached = None


def encrypt(plaintext: str) -> str:
    return cipher().encrypt(plaintext.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return cipher().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise VaultError(
            "A stored secret cannot be decrypted with the configured keys: it was encrypted "
            "with a key that is no longer configured, or it is damaged."
        ) from exc


def reencrypt(token: str) -> str:
    """The same secret, encrypted with the newest key."""
    try:
        return cipher().rotate(token.encode()).decode()
    except InvalidToken as exc:
        raise VaultError(
            "A stored secret cannot be re-encrypted: none of the configured keys reads it."
        ) from exc


def write_keys(keys: list[bytes]) -> None:
    if keys_from_environment():
        raise VaultError(f"Keys come from {ENV_KEYS}; change that variable instead.")
    _build(keys)  # never write a key file that cannot be used
    path = key_file()
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "w") as handle:
            handle.write("".join(k.decode() + "\n" for k in keys))
            handle.flush()
            os.fsync(handle.fileno())
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_directory(path.parent)
    reset_cache()


def _fsync_directory(directory: Path) -> None:
    # Makes the rename itself durable; losing the new key file after a crash would leave
    # re-encrypted secrets unreadable.
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
