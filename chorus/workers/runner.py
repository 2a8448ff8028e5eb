"""Running the Django Tasks database worker, with heartbeats.

One loop serves both modes: a thread inside `chorus serve` (single machine) and the
`chorus worker` process (scale-out). Claiming, running and recording tasks is
django-tasks-db's job; this module adds the heartbeat that /healthz and the UI read.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from typing import Any

from django.conf import settings
from django.db import close_old_connections
from django.db.utils import DatabaseError
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker

from chorus.workers.models import WorkerHeartbeat

logger = logging.getLogger(__name__)


class HeartbeatWorker(Worker):
    def __init__(self, *, mode: str, queue_names: list[str] | None = None,
                 interval: float = 0.5, worker_id: str | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("batch", False)
        kwargs.setdefault("backend_name", "default")
        kwargs.setdefault("startup_delay", True)
        kwargs.setdefault("max_tasks", None)
        kwargs.setdefault("excluded_queue_names", [])
        super().__init__(
            queue_names=queue_names or ["*"], interval=interval,
            worker_id=worker_id or f"{socket.gethostname()[:40]}-{get_random_string(12)}",
            **kwargs,
        )
        self.mode = mode
        self._stop = threading.Event()
        self._beat_thread: threading.Thread | None = None

    def start_heartbeat(self) -> None:
        now = timezone.now()
        WorkerHeartbeat.objects.update_or_create(
            worker_id=self.worker_id,
            defaults={"hostname": socket.gethostname(), "pid": os.getpid(), "mode": self.mode,
                      "queues": ",".join(self.queue_names), "started_at": now,
                      "last_seen": now, "stopped_at": None},
        )
        self._beat_thread = threading.Thread(target=self._beat, name="chorus-heartbeat",
                                             daemon=True)
        self._beat_thread.start()

    def _beat(self) -> None:
        while not self._stop.wait(settings.WORKER_HEARTBEAT_SECONDS):
            try:
                WorkerHeartbeat.objects.filter(worker_id=self.worker_id).update(
                    last_seen=timezone.now(), tasks_run=self._run_tasks)
            except DatabaseError:
                logger.warning("Heartbeat not recorded; will try again", exc_info=True)
            finally:
                close_old_connections()

    def stop(self) -> None:
        """Ask the loop to finish the task in hand and return."""
        self.running = False

    def run(self) -> None:
        self.start_heartbeat()
        try:
            super().run()
        finally:
            self._stop.set()
            try:
                WorkerHeartbeat.objects.filter(worker_id=self.worker_id).update(
                    stopped_at=timezone.now(), last_seen=timezone.now(),
                    tasks_run=self._run_tasks)
            except DatabaseError:
                logger.warning("Could not record that the worker stopped", exc_info=True)
            close_old_connections()
