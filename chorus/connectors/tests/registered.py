"""Registering connectors for one test (the registry caches settings.CHORUS_CONNECTORS)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from chorus.connectors import registry

BLUESKY = "chorus.connectors.bluesky.connector.BlueskyConnector"
MASTODON = "chorus.connectors.mastodon.connector.MastodonConnector"


@contextmanager
def connectors(settings: Any, *paths: str) -> Iterator[None]:
    """`paths` added to the installation's connectors until the block ends (the settings
    fixture puts the setting back afterwards)."""
    missing = [p for p in paths if p not in settings.CHORUS_CONNECTORS]
    settings.CHORUS_CONNECTORS = [*settings.CHORUS_CONNECTORS, *missing]
    registry._connectors.cache_clear()
    try:
        yield
    finally:
        registry._connectors.cache_clear()
