from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from chorus.accounts.models import User
from chorus.orgs.models import Membership, Organisation, Workspace
from chorus.orgs.roles import Role


class Command(BaseCommand):
    help = "Create an administrator, with an organisation of their own to start in."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", default="admin@chorus.localhost")
        parser.add_argument("--password", default=None, help="Default: a random one, printed once.")
        parser.add_argument("--organisation", default="My organisation")
        parser.add_argument(
            "--if-none", action="store_true", help="Do nothing when a user already exists."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["if_none"] and User.objects.exists():
            self.stdout.write(f"Log in at {settings.BASE_URL}/login/ with your account.")
            return
        email = options["email"].strip().lower()
        if User.objects.filter(email=email).exists():
            raise CommandError(f"A user with the e-mail address {email} already exists.")
        password = options["password"] or secrets.token_urlsafe(12)
        with transaction.atomic():
            user = User.objects.create_superuser(email, password, full_name="Administrator")
            org = Organisation.objects.create(name=options["organisation"])
            Membership.objects.create(organisation=org, user=user, role=Role.OWNER)
            Workspace.objects.create(organisation=org, name="Main brand")
        self.stdout.write(
            "\n".join(
                [
                    "",
                    "  Chorus administrator created. Log in at:",
                    f"    {settings.BASE_URL}/login/",
                    f"    e-mail:   {email}",
                    f"    password: {password}",
                    "  (shown once; change it under Settings)",
                    "",
                ]
            )
        )
