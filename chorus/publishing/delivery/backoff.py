"""When to try again: exponential backoff with full jitter, unless the network said."""

from __future__ import annotations

import random
from datetime import datetime, timedelta


def next_try(
    now: datetime,
    attempt: int,
    *,
    base: float,
    cap: float,
    retry_after: float | None = None,
    rng: random.Random | None = None,
) -> datetime:
    """`attempt` counts from 1. Full jitter (a uniform pick below the exponential ceiling)
    spreads the retries of many deliveries that failed together, so they do not return
    as one burst; a server's Retry-After is a floor, never shortened."""
    ceiling = min(cap, base * (2 ** (attempt - 1)))
    delay = (rng or random).uniform(ceiling / 2, ceiling)
    if retry_after is not None:
        delay = max(delay, retry_after)
    return now + timedelta(seconds=delay)
