from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from chorus.audit.chain import verify


class Command(BaseCommand):
    help = "Work with the audit trail."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="Walk the hash chain and report the first broken event.")

    def handle(self, *args: Any, **options: Any) -> None:
        result = verify()
        if not result.ok:
            raise CommandError(
                f"Audit chain broken at event #{result.broken_at}: {result.reason}. "
                f"{result.checked} event(s) before it verified."
            )
        self.stdout.write(f"Audit chain intact: {result.checked} event(s) verified.")
