from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):  # type: ignore[no-untyped-def]
    # Stored files of these tests go to a fresh folder, removed with it.
    settings.MEDIA_ROOT = str(tmp_path / "media")
