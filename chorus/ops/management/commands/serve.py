from __future__ import annotations

import logging
import signal
import threading
from types import FrameType
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from waitress.server import create_server

from chorus.config.wsgi import application
from chorus.workers.runner import HeartbeatWorker

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Serve the web app and API, with a background worker in the same process."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)
        parser.add_argument("--no-worker", action="store_true",
                            help="Do not run a worker here (workers run elsewhere).")
        parser.add_argument("--collectstatic", action="store_true",
                            help="Collect static files into var/static first.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["collectstatic"]:
            call_command("collectstatic", interactive=False, verbosity=0)
        server = create_server(application, host=options["host"], port=options["port"],
                               threads=options["threads"], ident="chorus")
        worker: HeartbeatWorker | None = None
        worker_thread: threading.Thread | None = None
        if not options["no_worker"]:
            worker = HeartbeatWorker(mode="in-process", startup_delay=False)
            worker_thread = threading.Thread(target=worker.run, name="chorus-worker",
                                             daemon=True)
            worker_thread.start()

        def stop(signum: int, frame: FrameType | None) -> None:
            server.close()

        signal.signal(signal.SIGTERM, stop)
        self.stdout.write(
            f"Chorus is serving http://{options['host']}:{options['port']}/ "
            f"{'with an in-process worker' if worker else 'without a worker'}. "
            "Press Ctrl-C to stop."
        )
        try:
            server.run()
        except (KeyboardInterrupt, OSError):
            pass
        finally:
            if worker is not None and worker_thread is not None:
                worker.stop()
                worker_thread.join(timeout=30)
            self.stdout.write("Stopped.")
