"""Running the Django Tasks database worker, with heartbeats.

One loop serves both modes: a thread inside `chorus serve` (single machine) and the
`chorus worker` process (scale-out). Claiming, running and recording tasks is
django-tasks-db's job (on PostgreSQL it claims with SELECT ... FOR UPDATE SKIP LOCKED, so
any number of workers share one queue and each task runs once); this module adds the
heartbeat that /healthz, /metrics and the UI read, and keeps the loop alive through a
database outage.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connections
from django.db.utils import DatabaseError
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.module_loading import import_string
from django_tasks_db.management.commands.db_worker import Worker

from chorus.workers.models import WorkerHeartbeat

logger = logging.getLogger(__name__)

MODE_IN_PROCESS = "in-process"
MODE_PROCESS = "process"
# Longest pause between attempts while the database is unreachable.
MAX_RETRY_SECONDS = 30.0


def new_worker_id() -> str:
    return f"{socket.gethostname()[:40]}-{get_random_string(12)}"


class HeartbeatWorker(Worker):
    def __init__(
        self,
        *,
        mode: str,
        queue_names: list[str] | None = None,
        interval: float = 0.5,
        worker_id: str | None = None,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("batch", False)
        kwargs.setdefault("backend_name", "default")
        kwargs.setdefault("startup_delay", True)
        kwargs.setdefault("max_tasks", None)
        kwargs.setdefault("excluded_queue_names", [])
        super().__init__(
            queue_names=queue_names or ["*"],
            interval=interval,
            worker_id=worker_id or new_worker_id(),
            **kwargs,
        )
        self.mode = mode
        # Set when the loop has returned; ends the heartbeat thread.
        self._finished = threading.Event()
        self._beat_thread: threading.Thread | None = None
        self._loops: list[Any] = []

    @property
    def tasks_run(self) -> int:
        return self._run_tasks

    def stop(self) -> None:
        """Ask the loop to finish the task in hand and return. Safe from any thread and
        from a signal handler."""
        self.running = False

    def run(self) -> None:
        self._record_start()
        # Loops that run beside the task worker (the delivery loop): named in settings so
        # the worker does not need to know the publishing engine.
        self._loops = [import_string(path)(self.worker_id) for path in settings.CHORUS_WORKER_LOOPS]
        for loop in self._loops:
            loop.start()
        self._beat_thread = threading.Thread(
            target=self._beat, name="chorus-heartbeat", daemon=True
        )
        self._beat_thread.start()
        try:
            self._run_until_done()
        finally:
            for loop in self._loops:
                loop.stop()
            for loop in self._loops:
                loop.join()
            self._finished.set()
            self._beat_thread.join(timeout=10)
            self._record_stop()
            if threading.current_thread() is not threading.main_thread():
                # Connections are per thread; this thread's will not be used again.
                connections.close_all()

    def _run_until_done(self) -> None:
        delay = self.interval or 0.5
        while self.running:
            try:
                super().run()
                return
            except DatabaseError:
                if not self.running:
                    return
                # django-tasks-db re-raises errors other than "database is locked"; a worker
                # that died here would leave the queue unserved until someone noticed.
                logger.exception(
                    "Worker %s lost the database; retrying in %.1f s", self.worker_id, delay
                )
                self.startup_delay = False
                _close_connections_quietly()
                self._pause(delay)
                delay = min(delay * 2, MAX_RETRY_SECONDS)

    def _pause(self, seconds: float) -> None:
        # Short sleeps rather than an Event: stop() may run in a signal handler, where
        # taking the Event's lock could deadlock against this very thread.
        deadline = time.monotonic() + seconds
        while self.running and (left := deadline - time.monotonic()) > 0:
            time.sleep(min(left, 0.2))

    def _record_start(self) -> None:
        now = timezone.now()
        WorkerHeartbeat.objects.update_or_create(
            worker_id=self.worker_id,
            defaults={
                "hostname": socket.gethostname()[:255],
                "pid": os.getpid(),
                "mode": self.mode,
                "queues": ",".join(self.queue_names)[:255],
                "started_at": now,
                "last_seen": now,
                "stopped_at": None,
                "tasks_run": 0,
            },
        )

    def _beat(self) -> None:
        try:
            while not self._finished.wait(settings.WORKER_HEARTBEAT_SECONDS):
                try:
                    WorkerHeartbeat.objects.filter(worker_id=self.worker_id).update(
                        last_seen=timezone.now(), tasks_run=self._run_tasks
                    )
                except DatabaseError:
                    logger.warning("Heartbeat not recorded; will try again", exc_info=True)
                    _close_connections_quietly()
                else:
                    close_old_connections()
        finally:
            connections.close_all()

    def _record_stop(self) -> None:
        now = timezone.now()
        try:
            WorkerHeartbeat.objects.filter(worker_id=self.worker_id).update(
                stopped_at=now, last_seen=now, tasks_run=self._run_tasks
            )
        except DatabaseError:
            logger.warning("Could not record that worker %s stopped", self.worker_id, exc_info=True)


def _close_connections_quietly() -> None:
    for conn in connections.all(initialized_only=True):
        try:
            conn.close()
        except DatabaseError:
            logger.debug("Closing a broken connection failed", exc_info=True)
