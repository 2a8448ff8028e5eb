"""The import page in a real browser: a file with mistakes, then the corrected file,
confirmed, landing on the calendar. Screenshots under var/test-artifacts/."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from chorus.accounts.models import User
from chorus.orgs.models import Membership, Organisation, SocialAccount, Workspace
from chorus.orgs.roles import Role
from chorus.publishing.bulk.tests.helpers import future
from chorus.publishing.models import Post, PostState

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

PASSWORD = "plum-Orchard-47-lantern"


def _log_in(page: Page, email: str) -> None:
    page.goto("/login/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_it_imports_a_corrected_file_after_showing_every_mistake(browser_steps, tmp_path):
    org = Organisation.objects.create(name="Acme")
    ws = Workspace.objects.create(organisation=org, name="Brand", time_zone="Asia/Vientiane")
    user = User.objects.create_user("pat@acme.test", PASSWORD)
    Membership.objects.create(organisation=org, user=user, role=Role.MANAGER)
    SocialAccount.objects.create(workspace=ws, network="mastodon", remote_id="1", handle="@brand")
    when = future()
    broken = tmp_path / "broken.csv"
    broken.write_text(
        f"{when:%m/%d/%Y} 25:00,Too late at night\n{when:%m/%d/%Y} 09:00,\n", encoding="utf-8"
    )
    fixed = tmp_path / "fixed.csv"
    fixed.write_text(
        f'{when:%m/%d/%Y} 21:00,"Good evening, Vientiane"\n{when:%m/%d/%Y} 09:00,ສະບາຍດີຕອນເຊົ້າ\n',
        encoding="utf-8",
    )
    page, shot = browser_steps.page, browser_steps.shot
    _log_in(page, user.email)
    page.goto(f"/o/{org.slug}/w/{ws.slug}/posts/import/")
    expect(page.get_by_role("heading", name="Import posts")).to_be_visible()
    page.locator("#id_file").set_input_files(str(broken))
    page.get_by_label("@brand (mastodon)").check()
    shot("upload-form")
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", name="Nothing was imported")).to_be_visible()
    expect(page.get_by_text("the time must be between 00:00 and 23:59")).to_be_visible()
    expect(page.get_by_text("Write something or attach media for Mastodon.")).to_be_visible()
    shot("every-mistake")
    assert not Post.objects.exists()

    page.locator("#id_file").set_input_files(str(fixed))
    page.get_by_label("@brand (mastodon)").check()
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", name="Ready to import")).to_be_visible()
    expect(page.get_by_text("ສະບາຍດີຕອນເຊົ້າ")).to_be_visible()
    shot("ready")
    page.get_by_role("button", name="Import 2 posts").click()
    expect(page.get_by_text("2 posts imported and scheduled.")).to_be_visible()
    shot("imported")
    assert f"/o/{org.slug}/w/{ws.slug}/calendar/" in page.url
    assert f"date={when:%Y-%m-%d}" in page.url
    assert {p.state for p in Post.objects.all()} == {PostState.SCHEDULED}
