"""The delivery loop every worker runs beside the task worker.

It sweeps expired leases, claims as many due deliveries as it has free threads, and runs
each in a thread pool (publishing is waiting on networks, not on the CPU). Leases of
deliveries in hand are renewed while they run, so a slow upload is not mistaken for a
dead worker.
"""

from __future__ import annotations

import logging
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from django.db import connection, connections
from django.db.utils import DatabaseError
from django.utils import timezone

from chorus.publishing.delivery import claim
from chorus.publishing.delivery.config import EngineConfig, engine_config
from chorus.publishing.delivery.engine import deliver
from chorus.publishing.models import Delivery

logger = logging.getLogger(__name__)


class DeliveryLoop:
    def __init__(self, worker_id: str, config: EngineConfig | None = None) -> None:
        self.worker_id = worker_id
        self.config = config or engine_config()
        self.running = True
        self.delivered = 0
        self._in_hand: dict[int, Future[str]] = {}
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._pool_connections: set[Any] = set()

    def start(self) -> None:
        self._thread = threading.Thread(target=self.run, name="chorus-delivery", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self.running = False

    def join(self, timeout: float | None = None) -> None:
        if self._thread:
            self._thread.join(timeout)

    def run(self) -> None:
        pool = ThreadPoolExecutor(self.config.concurrency, thread_name_prefix="chorus-send")
        last_sweep = last_renew = 0.0
        try:
            while self.running:
                try:
                    now = time.monotonic()
                    if now - last_sweep >= 1.0:
                        claim.sweep_expired(timezone.now())
                        last_sweep = now
                    if now - last_renew >= self.config.lease_seconds / 3:
                        self._renew()
                        last_renew = now
                    claimed = self._claim(pool)
                except DatabaseError:
                    logger.exception("Delivery loop lost the database; retrying")
                    _close_quietly()
                    claimed = 0
                    self._pause(2.0)
                if not claimed:
                    self._pause(self.config.poll_seconds)
        finally:
            # Let the deliveries in hand finish: their results are worth recording.
            pool.shutdown(wait=True)
            self._close_pool_connections()
            connections.close_all()

    def _claim(self, pool: ThreadPoolExecutor) -> int:
        with self._lock:
            free = self.config.concurrency - len(self._in_hand)
        if free <= 0:
            return 0
        claimed = claim.claim_due(self.worker_id, free, timezone.now(), self.config.lease_seconds)
        for delivery in claimed:
            future = pool.submit(self._deliver, delivery)
            with self._lock:
                self._in_hand[delivery.pk] = future
        return len(claimed)

    def _deliver(self, delivery: Delivery) -> str:
        # Pool threads keep their database connection between deliveries; the loop closes
        # them when it stops, or they would outlive it (and block dropping a database).
        with self._lock:
            self._pool_connections.add(connections["default"])
        try:
            return deliver(delivery, self.worker_id, self.config)
        except DatabaseError:
            logger.exception("Delivery %s: database error; its lease will expire", delivery.pk)
            connection.close()
            raise
        except Exception:
            logger.exception("Delivery %s crashed; its lease will expire", delivery.pk)
            raise
        finally:
            with self._lock:
                self._in_hand.pop(delivery.pk, None)
                self.delivered += 1

    def _close_pool_connections(self) -> None:
        for conn in self._pool_connections:
            # Each belongs to a finished pool thread; closing it from here is safe now.
            conn.inc_thread_sharing()
            try:
                conn.close()
            except DatabaseError:
                logger.debug("Closing a sending thread's connection failed", exc_info=True)
            finally:
                conn.dec_thread_sharing()
        self._pool_connections.clear()

    def _renew(self) -> None:
        with self._lock:
            ids = list(self._in_hand)
        claim.renew(self.worker_id, ids, timezone.now(), self.config.lease_seconds)

    def _pause(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while self.running and (left := deadline - time.monotonic()) > 0:
            time.sleep(min(left, 0.1))


def _close_quietly() -> None:
    for conn in connections.all(initialized_only=True):
        try:
            conn.close()
        except DatabaseError:
            logger.debug("Closing a broken connection failed", exc_info=True)
