from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from chorus.vault import keys
from chorus.vault.rotation import rotate


class Command(BaseCommand):
    help = (
        "Manage the keys that encrypt secrets at rest (connected accounts' tokens, "
        "two-factor secrets). Keep a copy of the key file with your backups: without "
        "it the secrets cannot be read."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        rot = sub.add_parser("rotate", help="Generate a new key and re-encrypt every secret.")
        rot.add_argument(
            "--keep-old",
            action="store_true",
            help="Keep old keys in the key file after re-encrypting.",
        )
        sub.add_parser("status", help="Show how many keys are configured and where.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["action"] == "rotate":
                report = rotate(retire_old=not options["keep_old"])
                self.stdout.write(
                    f"Rotated: re-encrypted {report.rows} value(s) in {report.fields} field(s); "
                    f"retired {report.retired_keys} old key(s)."
                )
            else:
                where = keys.ENV_KEYS if keys.keys_from_environment() else str(keys.key_file())
                keys.cipher()  # fails clearly on an empty or malformed key list
                self.stdout.write(f"{len(keys.load_keys())} key(s) in {where}")
        except keys.VaultError as exc:
            raise CommandError(str(exc)) from exc
