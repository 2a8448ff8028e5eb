"""Tunables of the delivery engine, read from settings so tests and deployments can
shorten or lengthen them."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class EngineConfig:
    lease_seconds: float
    max_attempts: int
    backoff_base: float
    backoff_cap: float
    # Wait before asking a network about a request that got no answer: it may still be
    # processing it.
    check_delay: float
    concurrency: int
    poll_seconds: float


def engine_config() -> EngineConfig:
    return EngineConfig(
        lease_seconds=float(getattr(settings, "CHORUS_DELIVERY_LEASE_SECONDS", 120)),
        max_attempts=int(getattr(settings, "CHORUS_DELIVERY_MAX_ATTEMPTS", 8)),
        backoff_base=float(getattr(settings, "CHORUS_DELIVERY_BACKOFF_BASE", 5)),
        backoff_cap=float(getattr(settings, "CHORUS_DELIVERY_BACKOFF_CAP", 3600)),
        check_delay=float(getattr(settings, "CHORUS_DELIVERY_CHECK_DELAY", 10)),
        concurrency=int(getattr(settings, "CHORUS_DELIVERY_CONCURRENCY", 16)),
        poll_seconds=float(getattr(settings, "CHORUS_DELIVERY_POLL_SECONDS", 0.5)),
    )
