"""Duties every worker runs on a timer (daily summaries, housekeeping).

Every worker runs them; each duty is written to be safe when two workers run it at once
(it records what it did, so the second finds nothing left to do). That keeps a single
scheduler process from becoming the one thing that must never die.
"""

from __future__ import annotations

import logging
import threading
import time

from django.conf import settings
from django.db import connections
from django.utils import timezone
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class PeriodicLoop:
    def __init__(self, worker_id: str) -> None:
        self.worker_id = worker_id
        self.running = True
        self.duties = [
            (import_string(path), float(every)) for path, every in settings.CHORUS_PERIODIC_DUTIES
        ]
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self.run, name="chorus-periodic", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self.running = False

    def join(self, timeout: float | None = None) -> None:
        if self._thread:
            self._thread.join(timeout)

    def run(self) -> None:
        last = [0.0] * len(self.duties)
        try:
            while self.running:
                for index, (duty, every) in enumerate(self.duties):
                    if time.monotonic() - last[index] < every:
                        continue
                    last[index] = time.monotonic()
                    try:
                        duty(timezone.now())
                    except Exception:
                        logger.exception("Periodic duty %s failed", duty.__name__)
                        connections.close_all()
                self._pause(1.0)
        finally:
            connections.close_all()

    def _pause(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while self.running and time.monotonic() < deadline:
            time.sleep(0.1)
