"""What a person sees in a real browser: logging in with a second factor, inviting a
colleague who then joins, and reading the interface in Lao.

Each step leaves a screenshot under var/test-artifacts/<database>/<test>/ (see the
`browser_steps` fixture in the root conftest.py).
"""

from __future__ import annotations

import re
import time

import pyotp
import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from chorus.accounts import services
from chorus.accounts.models import User
from chorus.orgs.models import Invitation, Membership, Organisation
from chorus.orgs.roles import Role

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

PASSWORD = "plum-Orchard-47-lantern"


def _person(email: str, org: Organisation, role: str, **fields: object) -> User:
    user = User.objects.create_user(email, PASSWORD, **fields)
    Membership.objects.create(organisation=org, user=user, role=role)
    return user


def _log_in(page: Page, email: str) -> None:
    page.goto("/login/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def _wrong_code(secret: str) -> str:
    """A well-formed code that none of the accepted time steps produces."""
    totp = pyotp.TOTP(secret)
    now = time.time()
    valid = {totp.at(now + offset * totp.interval) for offset in (-1, 0, 1, 2)}
    return next(code for code in ("123456", "654321", "111111", "909090") if code not in valid)


def test_it_logs_in_with_a_second_factor(browser_steps):
    org = Organisation.objects.create(name="Acme")
    user = _person("pat@acme.test", org, Role.OWNER, full_name="Pat Doe")
    secret = services.new_totp_secret()
    # Enabled with the previous step's code, so the current code is still unused.
    services.enable_totp(user, secret, pyotp.TOTP(secret).at(time.time() - 30))
    page, shot = browser_steps.page, browser_steps.shot

    page.goto("/login/")
    expect(page.get_by_role("heading", name="Log in to Chorus")).to_be_visible()
    shot("login-page")

    page.get_by_label("E-mail address").fill("pat@acme.test")
    page.get_by_label("Password").fill(PASSWORD)
    shot("credentials-filled")
    page.get_by_role("button", name="Log in").click()

    expect(page).to_have_url(re.compile(r"/login/code/$"))
    expect(page.get_by_role("heading", name="Enter your code")).to_be_visible()
    # Not logged in yet: no account menu in the header.
    expect(page.get_by_text("Pat Doe")).to_have_count(0)
    shot("code-step")

    page.get_by_label("6-digit code").fill(_wrong_code(secret))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("That code is not right, or it was already used.")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/login/code/$"))
    shot("wrong-code-refused")

    page.get_by_label("6-digit code").fill(pyotp.TOTP(secret).now())
    shot("right-code-typed")
    page.get_by_role("button", name="Continue").click()

    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("heading", name="Your organisations")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile(r"Acme\s+Your role: Owner"))).to_be_visible()
    expect(page.locator("summary", has_text="Pat Doe")).to_be_visible()
    shot("home-with-organisation")


def test_it_invites_a_member_who_joins_through_the_emailed_link(
    browser_steps, chromium, live_server, settings
):
    # Links in e-mails start with BASE_URL; point it at the test server.
    settings.BASE_URL = live_server.url
    assert settings.EMAIL_BACKEND == "django.core.mail.backends.locmem.EmailBackend"
    org = Organisation.objects.create(name="Acme")
    _person("olive@acme.test", org, Role.OWNER, full_name="Olive Owner")
    page, shot = browser_steps.page, browser_steps.shot

    _log_in(page, "olive@acme.test")
    expect(page.get_by_role("heading", name="Your organisations")).to_be_visible()
    page.goto(f"/o/{org.slug}/members/")
    expect(page.get_by_role("heading", name="Members", exact=True)).to_be_visible()
    shot("members-page")

    invitations = page.get_by_role("region", name="Invite someone")
    invitations.get_by_label("E-mail address").fill("sam@acme.test")
    invitations.get_by_label("Role").select_option(label="Analyst")
    shot("invitation-form-filled")
    invitations.get_by_role("button", name="Send invitation").click()

    expect(invitations.locator("p.flash-success")).to_contain_text(
        "Invitation sent to sam@acme.test."
    )
    row = invitations.get_by_role("row").filter(has_text="sam@acme.test")
    expect(row).to_contain_text("Analyst")
    expect(row).to_contain_text("Pending")
    expect(row.get_by_role("button", name="Revoke")).to_be_visible()
    shot("invitation-pending")

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["sam@acme.test"]
    assert message.subject == "Olive Owner invited you to Acme on Chorus"
    link = re.search(r"https?://\S+/invite/[\w-]+/", message.body)
    assert link, message.body
    assert link.group(0).startswith(live_server.url)

    # The invitee has never been here: a separate browser context, logged out.
    context = chromium.new_context(
        base_url=live_server.url, locale="en-US", viewport={"width": 1280, "height": 900}
    )
    try:
        browser_steps.page = invitee = context.new_page()
        invitee.set_default_timeout(15_000)
        invitee.goto(link.group(0))
        expect(invitee.get_by_role("heading", name="Join Acme on Chorus")).to_be_visible()
        expect(
            invitee.get_by_text("This invitation is for sam@acme.test, as Analyst.")
        ).to_be_visible()
        shot("invitation-link-opened")

        invitee.get_by_label("Your name").fill("Sam Analyst")
        invitee.get_by_label("Choose a password").fill(PASSWORD)
        invitee.get_by_label("The same password again").fill(PASSWORD)
        shot("account-form-filled")
        invitee.get_by_role("button", name="Create account and join").click()

        expect(invitee).to_have_url(re.compile(rf"/o/{org.slug}/$"))
        expect(invitee.get_by_text("Welcome to Acme. Your account is ready.")).to_be_visible()
        expect(invitee.get_by_role("heading", name="Acme", exact=True)).to_be_visible()
        expect(invitee.get_by_text("Your role: Analyst")).to_be_visible()
        expect(invitee.locator("summary", has_text="Sam Analyst")).to_be_visible()
        shot("joined-as-new-member")
    finally:
        browser_steps.page = page
        context.close()

    page.reload()
    expect(page.get_by_role("row").filter(has_text="Sam Analyst")).to_contain_text("Analyst")
    invitation_row = page.get_by_role("region", name="Invite someone").get_by_role("row")
    expect(invitation_row.filter(has_text="sam@acme.test")).to_contain_text("Accepted")
    shot("owner-sees-the-new-member")
    assert Invitation.objects.get(email="sam@acme.test").accepted_at is not None


def test_it_switches_the_interface_to_lao_and_back(browser_steps):
    org = Organisation.objects.create(name="Acme")
    user = _person("lee@acme.test", org, Role.OWNER, full_name="Lee")
    page, shot = browser_steps.page, browser_steps.shot
    html = page.locator("html")

    _log_in(page, "lee@acme.test")
    page.goto(f"/o/{org.slug}/")
    nav = page.get_by_role("navigation", name="Organisation Acme")
    expect(html).to_have_attribute("lang", "en")
    expect(nav.get_by_role("link", name="Members")).to_be_visible()
    shot("english")

    switch = page.get_by_role("group", name="Language")
    expect(switch.get_by_role("button", name="English")).to_have_attribute("aria-pressed", "true")
    switch.get_by_role("button", name="ລາວ").click()

    expect(html).to_have_attribute("lang", "lo")
    expect(page).to_have_url(re.compile(rf"/o/{org.slug}/$"))
    nav = page.get_by_role("navigation", name="ອົງກອນ Acme")
    for label in ("ພື້ນທີ່ເຮັດວຽກ", "ສະມາຊິກ", "ບັນທຶກການກວດສອບ", "ການຕັ້ງຄ່າອົງກອນ"):
        expect(nav.get_by_role("link", name=label)).to_be_visible()
    expect(page.get_by_text("ບົດບາດຂອງທ່ານ: ເຈົ້າຂອງ")).to_be_visible()
    expect(page.get_by_role("button", name="ລາວ")).to_have_attribute("aria-pressed", "true")
    expect(nav.get_by_role("link", name="Members")).to_have_count(0)
    shot("lao")

    page.reload()
    expect(html).to_have_attribute("lang", "lo")
    expect(page.get_by_role("navigation", name="ອົງກອນ Acme")).to_be_visible()
    shot("lao-after-reload")

    page.get_by_role("link", name="ສະມາຊິກ").click()
    expect(page.get_by_role("heading", name="ສະມາຊິກ", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="ເຊີນຄົນເຂົ້າຮ່ວມ")).to_be_visible()
    shot("lao-members-page")
    user.refresh_from_db()
    assert user.language == "lo"

    page.get_by_role("button", name="English").click()
    expect(html).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="Members", exact=True)).to_be_visible()
    expect(page.get_by_role("navigation", name="Organisation Acme")).to_be_visible()
    shot("english-again")
    user.refresh_from_db()
    assert user.language == "en"
