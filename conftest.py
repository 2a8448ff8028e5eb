"""Shared test fixtures. Every database test runs on SQLite and on PostgreSQL
(`make test` runs the suite once per database; see the Makefile)."""

from __future__ import annotations

import pytest
from django.db import connection

from chorus.accounts.models import User
from chorus.orgs.models import Membership, Organisation, Workspace
from chorus.orgs.roles import Role


@pytest.fixture(autouse=True)
def _fast_passwords(settings):  # type: ignore[no-untyped-def]
    # Argon2 is the production hasher (tested in accounts/tests); tests that only need
    # *a* user hash quickly.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def on_postgres() -> bool:
    return connection.vendor == "postgresql"


def pytest_collection_modifyitems(config, items):  # type: ignore[no-untyped-def]
    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL; runs in the PostgreSQL pass")
    for item in items:
        if "postgres_only" in item.keywords:
            item.add_marker(skip)


class Tenants:
    """Two organisations with a workspace each, and a user per role in the first."""

    def __init__(self) -> None:
        self.org = Organisation.objects.create(name="Acme")
        self.workspace = Workspace.objects.create(organisation=self.org, name="Acme Brand")
        self.other_org = Organisation.objects.create(name="Globex")
        self.other_workspace = Workspace.objects.create(organisation=self.other_org,
                                                        name="Globex Brand")
        self.users: dict[str, User] = {}
        for role in Role:
            user = User.objects.create_user(f"{role.value}@acme.test", "pw-for-tests-1")
            Membership.objects.create(organisation=self.org, user=user, role=role)
            self.users[role.value] = user
        self.other_owner = User.objects.create_user("owner@globex.test", "pw-for-tests-1")
        Membership.objects.create(organisation=self.other_org, user=self.other_owner,
                                  role=Role.OWNER)


@pytest.fixture
def tenants(db) -> Tenants:  # type: ignore[no-untyped-def]
    return Tenants()
