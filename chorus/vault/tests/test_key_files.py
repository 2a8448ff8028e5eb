"""Review finding: the secret key and encryption key files were created empty and filled
afterwards, so a process starting at that moment read an empty key, and a crash in
between left an empty key file for good."""

from __future__ import annotations

import stat
import threading
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from chorus.config.env import read_or_create_secret
from chorus.vault import keys


def test_a_second_process_never_reads_a_half_written_secret(tmp_path: Path) -> None:
    path = tmp_path / "secret_key"
    writing, release = threading.Event(), threading.Event()
    results: dict[str, str] = {}

    def slow_make() -> str:
        writing.set()
        release.wait(10)
        return "first-value"

    first = threading.Thread(
        target=lambda: results.__setitem__("first", read_or_create_secret(path, slow_make))
    )
    first.start()
    assert writing.wait(10)
    try:
        # The first process is between creating its secret and writing it.
        results["second"] = read_or_create_secret(path, lambda: "second-value")
    finally:
        release.set()
        first.join(10)
    assert results["second"], "read an empty secret"
    assert results["first"] == results["second"] == path.read_text().strip()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["secret_key"], "no temporary file left"


def test_a_failure_while_making_the_secret_leaves_no_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "secret_key"

    def broken() -> str:
        raise OSError("no entropy today")

    with pytest.raises(OSError):
        read_or_create_secret(path, broken)
    assert read_or_create_secret(path, lambda: "made-later") == "made-later"
    assert list(tmp_path.iterdir()) == [path]


def test_the_encryption_key_file_is_private_and_usable(key_file: Path) -> None:
    token = keys.encrypt("hello")
    assert keys.decrypt(token) == "hello"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    Fernet(key_file.read_text().strip().encode())
