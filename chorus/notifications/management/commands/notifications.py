from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from chorus.notifications.daily import run_due_summaries


class Command(BaseCommand):
    help = "Work with workspace notifications."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        daily = sub.add_parser(
            "daily-summary",
            help="Queue today's summary for every subscribed workspace where it is past 08:00 "
            "and today's has not been sent. Safe to run any number of times a day.",
        )
        daily.add_argument(
            "--any-hour",
            action="store_true",
            help="Also for workspaces where it is not 08:00 yet (still once per day).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        done = run_due_summaries(any_hour=options["any_hour"])
        if not done:
            self.stdout.write("No daily summary was due.")
            return
        for workspace in done:
            self.stdout.write(f"Daily summary queued for {workspace.organisation} / {workspace}.")
