"""Shared steps of the publishing browser tests."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from chorus.publishing.delivery.config import EngineConfig

# The tenants fixture's password for every user.
TENANT_PASSWORD = "pw-for-tests-1"
# A delivery loop that reacts within a fraction of a second, for tests that watch a post
# go out.
FAST_ENGINE = EngineConfig(
    lease_seconds=30,
    max_attempts=3,
    backoff_base=1,
    backoff_cap=5,
    check_delay=0,
    concurrency=2,
    poll_seconds=0.1,
)


def log_in(page: Page, email: str, password: str = TENANT_PASSWORD) -> None:
    page.goto("/login/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Your organisations")).to_be_visible()
