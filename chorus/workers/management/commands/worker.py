from __future__ import annotations

import logging
import signal
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from chorus.workers.runner import HeartbeatWorker

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = ("Run a background worker process. Start several, on one machine or many "
            "sharing one PostgreSQL database, to scale out.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--queues", default="*",
                            help="Comma-separated queues to serve ('*' for all).")
        parser.add_argument("--interval", type=float, default=0.5,
                            help="Seconds to wait when no task is due.")
        parser.add_argument("--worker-id", default=None, help="Unique id (default: random).")
        parser.add_argument("--max-tasks", type=int, default=None,
                            help="Exit after running this many tasks.")
        parser.add_argument("--batch", action="store_true",
                            help="Run what is due, then exit.")

    def handle(self, *args: Any, **options: Any) -> None:
        worker = HeartbeatWorker(
            mode="process", queue_names=options["queues"].split(","),
            interval=options["interval"], worker_id=options["worker_id"],
            max_tasks=options["max_tasks"], batch=options["batch"],
        )

        def graceful(signum: int, frame: FrameType | None) -> None:
            logger.info("Received %s: finishing the current task, then stopping",
                        signal.strsignal(signum))
            worker.stop()

        signal.signal(signal.SIGINT, graceful)
        signal.signal(signal.SIGTERM, graceful)
        self.stdout.write(f"Worker {worker.worker_id} started (queues: {options['queues']}).")
        worker.run()
        self.stdout.write(f"Worker {worker.worker_id} stopped after {worker._run_tasks} task(s).")
