from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from chorus.ops.backup.archive import read_manifest, verify_archive
from chorus.ops.backup.errors import BackupError
from chorus.ops.backup.restore import restore_backup


class Command(BaseCommand):
    help = (
        "Restore a backup made by `chorus backup`: the database, the key files and media "
        "are replaced by the archive's. Every file is checked against the archive's "
        "manifest first; a damaged archive, or one from the other kind of database, is "
        "refused before anything changes. Stop `chorus serve` and all workers first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path, help="The .tar.gz written by chorus backup.")
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation.")
        parser.add_argument(
            "--check", action="store_true", help="Only check the archive; change nothing."
        )
        parser.add_argument(
            "--force", action="store_true", help="Restore even though workers seem to be running."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        archive: Path = options["archive"]
        try:
            if options["check"]:
                manifest = verify_archive(archive)
                self.stdout.write(
                    f"{archive} is intact: a {manifest['database']['vendor']} backup from "
                    f"{manifest['created_at']} with {len(manifest['members'])} file(s)."
                )
                return
            manifest = read_manifest(archive)
            if not options["yes"]:
                self._confirm(archive, manifest)
            result = restore_backup(archive, force=options["force"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Restored the backup from {result.manifest['created_at']} "
            f"({len(result.manifest['members'])} file(s))."
        )
        for note in result.notes:
            self.stderr.write(note)

    def _confirm(self, archive: Path, manifest: dict[str, Any]) -> None:
        if not sys.stdin.isatty():
            raise CommandError("Restoring replaces this Chorus's data; add --yes to confirm.")
        answer = input(
            f"Replace this Chorus's database, keys and media with the backup in {archive} "
            f"(made {manifest['created_at']})? Type 'yes' to continue: "
        )
        if answer.strip().lower() != "yes":
            raise CommandError("Restore cancelled; nothing was changed.")
