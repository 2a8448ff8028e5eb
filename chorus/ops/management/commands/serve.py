from __future__ import annotations

import contextlib
import logging
import signal
import threading
from types import FrameType
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from waitress.server import create_server

from chorus.config.wsgi import application
from chorus.workers.runner import MODE_IN_PROCESS, HeartbeatWorker

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Serve the web app and API, with a background worker in the same process. "
        "Ctrl-C or SIGTERM stops cleanly: no new connections are accepted, requests in "
        "flight finish, and the worker finishes the task in hand."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--threads", type=int, default=8, help="Threads serving requests (default: 8)."
        )
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="Do not run a worker here (workers run elsewhere).",
        )
        parser.add_argument(
            "--grace",
            type=float,
            default=30.0,
            help="Seconds to wait for the worker's task when stopping.",
        )
        parser.add_argument(
            "--collectstatic",
            action="store_true",
            help="Collect static files into var/static first.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not 0 < options["port"] < 65536:
            raise CommandError("--port must be between 1 and 65535.")
        if options["threads"] < 1:
            raise CommandError("--threads must be at least 1.")
        self._require_migrated()
        if options["collectstatic"]:
            call_command("collectstatic", interactive=False, verbosity=0)
        host, port = options["host"], options["port"]
        try:
            server = create_server(
                application, host=host, port=port, threads=options["threads"], ident="chorus"
            )
        except OSError as exc:
            raise CommandError(f"Cannot listen on {host}:{port}: {exc.strerror}.") from exc

        # Handlers go in before the worker starts, so no signal can kill it mid-task.
        state = {"serving": True, "signals": 0}

        def stop(signum: int, frame: FrameType | None) -> None:
            state["signals"] += 1
            if state["signals"] == 1:
                logger.info("Received %s: stopping", signal.strsignal(signum))
                if state["serving"]:
                    # Ends waitress' loop, which then lets its request threads finish.
                    raise KeyboardInterrupt
                return
            logger.warning(
                "Received %s again: stopping without waiting for the worker",
                signal.strsignal(signum),
            )
            raise SystemExit(1)

        previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
        worker: HeartbeatWorker | None = None
        worker_thread: threading.Thread | None = None
        try:
            # waitress handles the KeyboardInterrupt our handler raises once its loop runs;
            # one that arrives before then is caught here, and shutdown proceeds the same.
            with contextlib.suppress(KeyboardInterrupt):
                if not options["no_worker"]:
                    worker = HeartbeatWorker(mode=MODE_IN_PROCESS, startup_delay=False)
                    # A daemon thread, so a task that overruns the grace period cannot
                    # keep the process alive for ever.
                    worker_thread = threading.Thread(
                        target=_run_worker, args=(worker,), name="chorus-worker", daemon=True
                    )
                    worker_thread.start()
                self.stdout.write(
                    f"Chorus is serving http://{host}:{port}/ "
                    f"{'with an in-process worker' if worker else 'without a worker'}. "
                    "Press Ctrl-C to stop."
                )
                self.stdout.flush()
                server.run()
            state["serving"] = False
            server.close()
            if worker is not None and worker_thread is not None:
                worker.stop()
                worker_thread.join(timeout=options["grace"])
                if worker_thread.is_alive():
                    logger.warning(
                        "The worker's task did not finish within %.0f s; it is "
                        "interrupted and will show as running",
                        options["grace"],
                    )
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        self.stdout.write("Stopped.")

    def _require_migrated(self) -> None:
        connection = connections[DEFAULT_DB_ALIAS]
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        # Serving threads open their own connections; this one is not needed again.
        connection.close()
        if pending:
            raise CommandError(
                "The database has migrations that are not applied yet. Run `chorus migrate` first."
            )


def _run_worker(worker: HeartbeatWorker) -> None:
    try:
        worker.run()
    except Exception:
        # The heartbeat now shows the worker stopped, so /healthz turns degraded.
        logger.exception("The in-process worker stopped on an error")
