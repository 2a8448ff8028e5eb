"""`chorus connectors list` and `chorus connectors selftest NETWORK`.

The self-test publishes one real post through a connector with credentials from the
environment (CHORUS_SELFTEST_<NETWORK>, a JSON object shaped like the account's stored
credentials), so a deployment can prove it reaches the network before scheduling
anything. Nothing is written to the database.
"""

from __future__ import annotations

import json
import os
import uuid
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from chorus.connectors.contract import Capability, Outgoing, Part
from chorus.connectors.errors import ConnectorError
from chorus.connectors.registry import connector_for, networks
from chorus.orgs.models import SocialAccount


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
        account = SocialAccount(network=network, handle="selftest", credentials=credentials)
        connector.check(account)
        outgoing = Outgoing(
            delivery_id=0,
            post_id=0,
            idempotency_key=uuid.uuid4().hex,
            parts=[Part(text=text or f"Chorus self-test {timezone.now():%Y-%m-%d %H:%M:%S} UTC")],
        )
        try:
            published = connector.publish(account, outgoing, 0, None)
        except ConnectorError as error:
            raise CommandError(f"{type(error).__name__} ({error.code}): {error.message}") from error
        self.stdout.write(f"published: {published.remote_id} {published.remote_url}".strip())
        if Capability.LOOKUP in connector.capabilities:
            found = connector.find(account, outgoing, 0)
            self.stdout.write(f"lookup: {'found' if found else 'NOT FOUND'}")
        if Capability.DELETE in connector.capabilities:
            connector.delete(account, published.remote_id)
            self.stdout.write("deleted")
