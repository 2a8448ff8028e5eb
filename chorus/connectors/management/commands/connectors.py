"""`chorus connectors list` and `chorus connectors selftest NETWORK`.

The self-test publishes one real post through a connector with credentials from the
environment (CHORUS_SELFTEST_<NETWORK>, a JSON object shaped like the account's stored
credentials), so a deployment can prove it reaches the network before scheduling
anything. Nothing is written to the database.
"""

from __future__ import annotations

import json
import os
import time
import uuid
from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from chorus.connectors.contract import Capability, Outgoing, Part
from chorus.connectors.errors import ConnectorError
from chorus.connectors.registry import connector_for, networks
from chorus.orgs.models import SocialAccount

READ_BACK_SECONDS = 20


class Command(BaseCommand):
    help = (
        "List connectors, or publish a test post through one with credentials from the environment."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("list", help="Networks with a connector, and what each can do.")
        selftest = sub.add_parser("selftest", help="Publish a test post to NETWORK.")
        selftest.add_argument("network")
        selftest.add_argument("--text", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "list":
            for network in networks():
                connector = connector_for(network)
                caps = ", ".join(sorted(c.value for c in connector.capabilities))
                self.stdout.write(f"{network}: {caps}")
            return
        self._selftest(options["network"], options["text"])

    def _selftest(self, network: str, text: str) -> None:
        try:
            connector = connector_for(network)
        except LookupError as error:
            raise CommandError(
                f"No connector for {network!r}; try: {', '.join(networks())}"
            ) from error
        variable = f"CHORUS_SELFTEST_{network.upper()}"
        raw = os.environ.get(variable)
        if not raw:
            raise CommandError(f"Set {variable} to the account's credentials as JSON.")
        try:
            credentials = json.loads(raw)
        except json.JSONDecodeError as error:
            raise CommandError(f"{variable} is not valid JSON: {error}") from error
        handle = (
            str(credentials.get("identifier") or "selftest")
            if isinstance(credentials, dict)
            else ""
        )
        account = SocialAccount(network=network, handle=handle, credentials=credentials)
        self._step("credentials", lambda: _done(connector.check, account, "accepted"))
        outgoing = Outgoing(
            delivery_id=0,
            post_id=0,
            idempotency_key=uuid.uuid4().hex,
            parts=[Part(text=text or f"Chorus self-test {timezone.now():%Y-%m-%d %H:%M:%S} UTC")],
        )
        published = self._step(
            "published", lambda: connector.publish(account, outgoing, 0, None), fatal=True
        )
        self.stdout.write(f"  {published.remote_id} {published.remote_url}".rstrip())
        failures = 0
        caps = connector.capabilities
        if Capability.LOOKUP in caps:
            failures += not self._step(
                "lookup",
                lambda: "found" if connector.find(account, outgoing, 0) else None,
            )
        if Capability.THREAD_READ in caps:
            failures += not self._step(
                "read back", lambda: _read_back(connector, account, published.remote_id, outgoing)
            )
        if Capability.METRICS in caps:
            failures += not self._step(
                "metrics",
                lambda: repr(
                    connector.post_metrics(account, [published.remote_id]).get(published.remote_id)
                ),
            )
        if Capability.DELETE in caps:
            failures += not self._step(
                "deleted", lambda: _done(connector.delete, account, "yes", published.remote_id)
            )
        if failures:
            raise CommandError(f"{failures} step(s) failed")

    def _step(self, name: str, run: Callable[[], Any], *, fatal: bool = False) -> Any:
        """Run one step and print what came of it; only the first post is worth stopping for."""
        try:
            result = run()
        except ConnectorError as error:
            message = f"{type(error).__name__} ({error.code}): {error.message}"
            if fatal or name == "credentials":
                raise CommandError(message) from error
            self.stdout.write(f"{name}: FAILED {message}")
            return None
        if result is None:
            self.stdout.write(f"{name}: NOT FOUND")
            return None
        self.stdout.write(f"{name}: {result if isinstance(result, str) else 'ok'}")
        return result


def _done(action: Callable[..., None], account: SocialAccount, said: str, *args: Any) -> str:
    action(account, *args)
    return said


def _read_back(connector: Any, account: SocialAccount, remote_id: str, outgoing: Outgoing) -> Any:
    # Networks index new posts asynchronously (Bluesky's AppView does): give it a moment.
    deadline = time.monotonic() + READ_BACK_SECONDS
    while True:
        try:
            posts = connector.thread(account, remote_id)
        except ConnectorError:
            if time.monotonic() > deadline:
                raise
            posts = []
        if posts and posts[0].text == outgoing.parts[0].text:
            return "same text"
        if time.monotonic() > deadline:
            return None
        time.sleep(0.5)
