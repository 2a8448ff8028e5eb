"""The accounts page in a real browser: a manager connects a real Bluesky account (on the
local AT Protocol network) through the form, sees it listed with its handle, checks it and
disconnects it. Screenshots of each step under var/test-artifacts/."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from chorus.connectors.bluesky.tests import network
from chorus.connectors.tests.registered import BLUESKY, connectors
from chorus.orgs.models import SocialAccount
from chorus.publishing.tests.browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def test_a_manager_connects_checks_and_disconnects_a_bluesky_account(
    tenants, browser_steps, settings
) -> None:  # type: ignore[no-untyped-def]
    person = network.create_account("browser")
    page, shot = browser_steps.page, browser_steps.shot
    with connectors(settings, BLUESKY):
        log_in(page, tenants.users["manager"].email)
        page.goto(f"/o/{tenants.org.slug}/w/{tenants.workspace.slug}/")
        page.get_by_role("link", name="Connect and manage accounts").click()
        expect(page.get_by_role("heading", name="Social accounts")).to_be_visible()
        shot("accounts")

        page.get_by_role("link", name="Connect Bluesky").click()
        page.get_by_label("Handle or DID").fill(person.handle)
        page.get_by_label("App password").fill("aaaa-bbbb-cccc-dddd")
        page.get_by_text("Advanced: an account on another server").click()
        page.get_by_label("PDS or service URL").fill(network.PDS)
        shot("bluesky-form")
        page.get_by_role("button", name="Connect").click()
        expect(page.locator(".errorlist")).to_contain_text("refused this app password")
        expect(page.get_by_label("App password")).to_have_value("")
        shot("wrong-app-password")

        page.get_by_label("App password").fill(person.app_password)
        page.get_by_role("button", name="Connect").click()
        expect(page.get_by_text(f"Bluesky account {person.handle} is connected.")).to_be_visible()
        row = page.locator("tr", has_text=person.handle)
        expect(row).to_contain_text("Bluesky")
        expect(row).to_contain_text("Working")
        shot("connected")

        row.get_by_role("button", name="Check now").click()
        expect(page.get_by_text(f"{person.handle}: working.")).to_be_visible()
        checked = page.locator("tr", has_text=person.handle)
        expect(checked.locator("[data-last-success] time")).to_be_visible()
        expect(checked.locator("[data-checked] time")).to_be_visible()
        expect(checked.locator("[data-session]")).to_contain_text("Session stored, last renewed")
        shot("checked")

        page.locator("tr", has_text=person.handle).get_by_role("link", name="Disconnect").click()
        expect(
            page.get_by_role("heading", name=f"Disconnect {person.handle} (Bluesky)?")
        ).to_be_visible()
        shot("confirm-disconnect")
        page.get_by_role("button", name="Disconnect").click()
        expect(page.get_by_text(f"{person.handle} is disconnected.")).to_be_visible()
        row = page.locator("tr", has_text=person.handle)
        expect(row).to_contain_text("Disconnected")
        expect(row.get_by_role("button", name="Check now")).to_have_count(0)
        shot("disconnected")

    account = SocialAccount.objects.get(network="bluesky")
    assert (account.remote_id, account.status) == (person.did, SocialAccount.Status.DISCONNECTED)
    assert account.credentials is None
