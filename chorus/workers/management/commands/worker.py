from __future__ import annotations

import logging
import signal
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from chorus.workers.runner import MODE_PROCESS, HeartbeatWorker

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Run a background worker process. Start several, on one machine or many "
        "sharing one PostgreSQL database, to scale out. SIGTERM or Ctrl-C lets the "
        "task in hand finish, then stops; a second signal interrupts that task and "
        "records it as failed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--queues", default="*", help="Comma-separated queues to serve ('*' for all)."
        )
        parser.add_argument(
            "--interval", type=float, default=0.5, help="Seconds to wait when no task is due."
        )
        parser.add_argument(
            "--worker-id", default=None, help="Unique id, at most 64 characters (default: random)."
        )
        parser.add_argument(
            "--max-tasks", type=int, default=None, help="Exit after running this many tasks."
        )
        parser.add_argument("--batch", action="store_true", help="Run what is due, then exit.")

    def handle(self, *args: Any, **options: Any) -> None:
        queues = [q.strip() for q in options["queues"].split(",") if q.strip()]
        if not queues:
            raise CommandError("--queues must name at least one queue, or '*'.")
        if options["interval"] < 0:
            raise CommandError("--interval must be zero or more seconds.")
        if options["max_tasks"] is not None and options["max_tasks"] < 1:
            raise CommandError("--max-tasks must be at least 1.")
        worker_id = options["worker_id"]
        if worker_id is not None and not 0 < len(worker_id) <= 64:
            raise CommandError("--worker-id must be 1 to 64 characters long.")

        worker = HeartbeatWorker(
            mode=MODE_PROCESS,
            queue_names=queues,
            interval=options["interval"],
            worker_id=worker_id,
            max_tasks=options["max_tasks"],
            batch=options["batch"],
            startup_delay=not options["batch"],
        )

        def graceful(signum: int, frame: FrameType | None) -> None:
            if not worker.running:
                logger.warning(
                    "Received %s again: interrupting the current task", signal.strsignal(signum)
                )
                raise KeyboardInterrupt
            logger.info(
                "Received %s: finishing the current task, then stopping", signal.strsignal(signum)
            )
            worker.stop()

        previous = {sig: signal.signal(sig, graceful) for sig in (signal.SIGINT, signal.SIGTERM)}
        self.stdout.write(f"Worker {worker.worker_id} started (queues: {','.join(queues)}).")
        try:
            worker.run()
        except KeyboardInterrupt as exc:
            raise CommandError(
                f"Worker {worker.worker_id} interrupted after {worker.tasks_run} task(s)."
            ) from exc
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        self.stdout.write(f"Worker {worker.worker_id} stopped after {worker.tasks_run} task(s).")
