"""A webhook receiver in a process of its own, so it does not share a GIL with the worker
being measured. Prints its URL, then serves until it is terminated."""

from __future__ import annotations

import sys
import time

from chorus.connectors.webhook.tests.receiver import Faults, Receiver

if __name__ == "__main__":
    with Receiver(Faults(latency=float(sys.argv[1]))) as receiver:
        print(receiver.url, flush=True)
        while True:
            time.sleep(3600)
