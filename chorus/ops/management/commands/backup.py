from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from chorus.ops.backup.create import create_backup
from chorus.ops.backup.errors import BackupError


class Command(BaseCommand):
    help = (
        "Back up this Chorus into one .tar.gz: the database, the secret key and encryption "
        "key files from var/, and uploaded media. WARNING: the archive contains the keys "
        "that decrypt every stored secret (connected accounts' tokens, two-factor secrets); "
        "anyone holding it can read them. Store it as carefully as the server itself. "
        "Restore with `chorus restore`."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            "-o",
            type=Path,
            default=None,
            help="File (or existing folder) to write; default "
            "var/backups/chorus-backup-<UTC time>.tar.gz. Never overwritten.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = create_backup(options["output"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        vendor = result.manifest["database"]["vendor"]
        self.stdout.write(
            f"Backed up the {vendor} database, keys and media to {result.path} "
            f"({_size(result.size)}, {result.members} file(s))."
        )
        for note in result.notes:
            self.stderr.write(note)
        self.stdout.write("This archive contains the encryption keys: keep it safe.")


def _size(n: int) -> str:
    if n < 1024:
        return f"{n} bytes"
    size = n / 1024
    for unit in ("KiB", "MiB"):
        if size < 1024:
            return f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} GiB"
