"""Shared test fixtures. Every database test runs on SQLite and on PostgreSQL
(`make test` runs the suite once per database; see the Makefile)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from chorus.accounts.models import User
from chorus.orgs.models import Invitation, Membership, Organisation, SocialAccount, Workspace
from chorus.orgs.roles import Role

# Tests talk to loopback only (local peers, replay servers, the local AT Protocol network).
# Anything else - a fuzzed instance URL, bsky.social as the default service - goes to a
# dead local proxy and fails at once, instead of reaching the internet.
_NO_INTERNET = {
    "HTTP_PROXY": "http://127.0.0.1:9",
    "HTTPS_PROXY": "http://127.0.0.1:9",
    "ALL_PROXY": "http://127.0.0.1:9",
    "NO_PROXY": "localhost,127.0.0.1,::1",
}
for _name, _value in _NO_INTERNET.items():
    os.environ[_name] = os.environ[_name.lower()] = _value


@pytest.fixture(autouse=True)
def _fast_passwords(settings):  # type: ignore[no-untyped-def]
    # Argon2 is the production hasher (tested in accounts/tests); tests that only need
    # *a* user hash quickly.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):  # type: ignore[no-untyped-def]
    # Uploaded files of one test must not pile up in var/ or leak into another test.
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture(autouse=True)
def _connect_private(settings):  # type: ignore[no-untyped-def]
    # The test networks (local PDS, replay servers) live on loopback, which production
    # refuses by default (chorus.connectors.addresses); tests of that refusal switch it off.
    settings.CHORUS_CONNECT_PRIVATE = True


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
        self.other_workspace = Workspace.objects.create(
            organisation=self.other_org, name="Globex Brand"
        )
        self.users: dict[str, User] = {}
        for role in Role:
            user = User.objects.create_user(f"{role.value}@acme.test", "pw-for-tests-1")
            Membership.objects.create(organisation=self.org, user=user, role=role)
            self.users[role.value] = user
        self.other_owner = User.objects.create_user("owner@globex.test", "pw-for-tests-1")
        Membership.objects.create(
            organisation=self.other_org, user=self.other_owner, role=Role.OWNER
        )
        # A pending invitation and a connected account on each side, for the endpoints that
        # act on them. (Created here: the permission matrix fingerprints the database
        # before each request, so its cases cannot create their targets.)
        self.invitation, _raw = Invitation.create(self.org, "invitee@acme.test", Role.EDITOR, None)
        self.other_invitation, _raw = Invitation.create(
            self.other_org, "invitee@globex.test", Role.EDITOR, None
        )
        self.account = SocialAccount.objects.create(
            workspace=self.workspace,
            network="mastodon",
            remote_id="1001",
            handle="@acme",
            credentials={"access_token": "acme-secret"},
        )
        self.other_account = SocialAccount.objects.create(
            workspace=self.other_workspace,
            network="mastodon",
            remote_id="2001",
            handle="@globex",
            credentials={"access_token": "globex-secret"},
        )
        # Apps add the rows their own endpoints act on (posts, links, targets...).
        for build in _fixture_builders():
            build(self)


def _fixture_builders() -> list[Any]:
    """`build(tenants)` from every app's tests/matrix_fixtures.py."""
    from chorus.orgs.tests.matrix import app_test_modules

    return [module.build for module in app_test_modules("matrix_fixtures")]


@pytest.fixture
def tenants(db) -> Tenants:  # type: ignore[no-untyped-def]
    return Tenants()


# Browser tests ---------------------------------------------------------------------------
# Playwright drives Debian's Chromium (its own browser download is refused on these
# machines). Screenshots of each step are kept under var/test-artifacts/.

CHROMIUM = os.environ.get("CHORUS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parent / "var" / "test-artifacts"


@pytest.fixture(scope="session")
def chromium():  # type: ignore[no-untyped-def]
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
    # between browser steps are still synchronous, so Django's async guard does not apply.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


class Steps:
    """A page plus a numbered screenshot per step, kept as test artefacts."""

    def __init__(self, page: Any, folder: Path) -> None:
        self.page = page
        self.folder = folder
        self.count = 0
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("*.png"):
            old.unlink()

    def shot(self, name: str) -> Path:
        self.count += 1
        path = self.folder / f"{self.count:02d}-{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path


@pytest.fixture
def browser_steps(chromium, live_server, request):  # type: ignore[no-untyped-def]
    vendor = connection.vendor
    context = chromium.new_context(
        base_url=live_server.url, locale="en-US", viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield Steps(page, ARTIFACTS / vendor / request.node.name)
    context.close()
