"""Keys for secrets at rest.

The key file holds one Fernet key per line, newest first. Encryption always uses the
newest; decryption tries each, which is what lets `chorus keys rotate` re-encrypt rows
while old ciphertexts stay readable.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

from chorus.config.env import read_or_create_secret


class VaultError(Exception):
    pass


def key_file() -> Path:
    return Path(settings.CHORUS_ENCRYPTION_KEY_FILE)


def load_keys() -> list[bytes]:
    if env := os.environ.get("CHORUS_ENCRYPTION_KEYS"):
        return [k.strip().encode() for k in env.split(",") if k.strip()]
    text = read_or_create_secret(key_file(), lambda: Fernet.generate_key().decode())
    return [line.strip().encode() for line in text.splitlines() if line.strip()]


@lru_cache(maxsize=1)
def cipher() -> MultiFernet:
    keys = load_keys()
    if not keys:
        raise VaultError("No encryption key configured.")
    return MultiFernet([Fernet(k) for k in keys])


def reset_cache() -> None:
    cipher.cache_clear()


def encrypt(plaintext: str) -> str:
    return cipher().encrypt(plaintext.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return cipher().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise VaultError(
            "A stored secret cannot be decrypted with the configured keys."
        ) from exc


def write_keys(keys: list[bytes]) -> None:
    path = key_file()
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write("".join(k.decode() + "\n" for k in keys))
    tmp.replace(path)
    reset_cache()
