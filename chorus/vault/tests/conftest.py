from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from chorus.vault import keys


@pytest.fixture
def key_file(tmp_path, settings, monkeypatch) -> Iterator[Path]:  # type: ignore[no-untyped-def]
    """A key file of this test's own, so rotations never touch the developer's keys."""
    monkeypatch.delenv(keys.ENV_KEYS, raising=False)
    path = tmp_path / "encryption.keys"
    settings.CHORUS_ENCRYPTION_KEY_FILE = str(path)
    keys.reset_cache()
    yield path
    keys.reset_cache()
