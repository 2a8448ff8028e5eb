"""The calendar in a real browser: a manager drags a scheduled post to another day, the
post keeps its time of day in its own zone, and once the delivery engine has published
it the calendar shows it as published.

The manager's zone (New York), the post's zone (Berlin) and the browser's own zone (the
machine's) all differ, so a mix-up between them would put the post on the wrong day or
hour. Screenshots of each step are kept under var/test-artifacts/<database>/<test>/.
"""

from __future__ import annotations

import re
import time as clock
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from chorus.accounts.models import User
from chorus.connectors.webhook.tests.receiver import Receiver
from chorus.orgs.models import Membership, Organisation, SocialAccount, Workspace
from chorus.orgs.roles import Role
from chorus.publishing.compose import service
from chorus.publishing.compose.inputs import PostInput
from chorus.publishing.delivery.loop import DeliveryLoop
from chorus.publishing.models import Post, PostState
from chorus.publishing.scheduling import exact
from chorus.publishing.scheduling.queueing import set_daily_limit
from chorus.publishing.tests.browser import FAST_ENGINE, log_in
from chorus.publishing.tests.factories import webhook_account

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

PASSWORD = "plum-Orchard-47-lantern"
BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")


def _wait_for(condition, what: str, seconds: float = 30.0) -> None:  # type: ignore[no-untyped-def]
    deadline = clock.monotonic() + seconds
    while not condition():
        if clock.monotonic() > deadline:
            raise AssertionError(f"Still waiting for {what}")
        clock.sleep(0.1)


def _drag(page: Page, source: str, target: str) -> None:
    """Press on the event, move in small steps (FullCalendar starts a drag only after the
    pointer has travelled a few pixels), and release over the target day."""
    page.locator("#calendar").scroll_into_view_if_needed()
    start = page.locator(source).bounding_box()
    end = page.locator(target).bounding_box()
    assert start and end
    page.mouse.move(start["x"] + start["width"] / 2, start["y"] + start["height"] / 2)
    page.mouse.down()
    page.mouse.move(start["x"] + start["width"] / 2 + 12, start["y"] + start["height"] / 2 + 4)
    page.mouse.move(end["x"] + end["width"] / 2, end["y"] + end["height"] * 0.6, steps=15)
    page.mouse.up()


def test_it_drags_a_post_to_another_day_keeping_its_berlin_time_then_sees_it_published(
    browser_steps,
):
    org = Organisation.objects.create(name="Acme")
    workspace = Workspace.objects.create(
        organisation=org, name="Acme Brand", time_zone="Europe/Berlin"
    )
    manager = User.objects.create_user(
        "mia@acme.test", PASSWORD, full_name="Mia Manager", time_zone="America/New_York"
    )
    Membership.objects.create(organisation=org, user=manager, role=Role.MANAGER)
    page, shot = browser_steps.page, browser_steps.shot
    # Tall enough for the whole month grid: a drag needs both ends inside the viewport.
    page.set_viewport_size({"width": 1280, "height": 1400})

    with Receiver() as receiver:
        account = webhook_account(workspace, receiver.credentials(), name="acme-hook")
        set_daily_limit(account, 1)
        # 15:00 in Berlin tomorrow: 09:00 or 10:00 in New York, the same day there.
        day = timezone.now().astimezone(BERLIN).date() + timedelta(days=1)
        post = _scheduled(workspace, manager, account, "Spring launch 🌷\nDetails", day, 15)
        # The day after is full: the account takes one post a day.
        _scheduled(workspace, manager, account, "Already planned", day + timedelta(days=1), 12)
        target = day + timedelta(days=2)
        event = f'.fc-event[data-post-id="{post.pk}"]'

        log_in(page, "mia@acme.test", PASSWORD)
        page.goto(f"/o/{org.slug}/w/{workspace.slug}/")
        page.get_by_role("link", name="Calendar").click()
        expect(page).to_have_url(re.compile(r"/calendar/\?view=month&date="))
        expect(page.get_by_text("Times are shown in America/New_York.").first).to_be_visible()
        # Today's month (New York's today) always shows the next few days too.
        cell = page.locator(f'td.fc-daygrid-day[data-date="{day}"]')
        expect(cell.locator(event)).to_be_visible()
        expect(cell.locator(event)).to_contain_text("Spring launch 🌷")
        expect(cell.locator(event)).to_contain_text("Wh")
        berlin_time = datetime.combine(day, time(15), tzinfo=BERLIN)
        expect(cell.locator(event)).to_contain_text(
            berlin_time.astimezone(NEW_YORK).strftime("%H:%M")
        )
        shot("month-view-before-the-drag")

        # A drop on the full day is refused: the event goes back and the reason is shown.
        _drag(page, event, _frame(day + timedelta(days=1)))
        expect(page.locator("#calendar-status")).to_contain_text("has reached its daily limit (1)")
        expect(cell.locator(event)).to_be_visible()
        post.refresh_from_db()
        assert post.scheduled_at == berlin_time
        shot("drop-on-a-full-day-refused")

        _drag(page, event, _frame(target))
        expect(page.locator("#calendar-status")).to_contain_text(
            f"Moved to {target.isoformat()} 15:00 (Europe/Berlin)."
        )
        shot("dropped-two-days-later")

        post.refresh_from_db()
        assert post.state == PostState.SCHEDULED
        assert post.time_zone == "Europe/Berlin"
        local = post.scheduled_at.astimezone(BERLIN)
        assert (local.date(), local.hour, local.minute) == (target, 15, 0)
        assert post.deliveries.get().scheduled_for == post.scheduled_at

        page.reload()
        moved = page.locator(f'td.fc-daygrid-day[data-date="{target}"] {event}')
        expect(moved).to_be_visible()
        expect(moved).to_have_attribute("data-state", "scheduled")
        expect(page.locator(f'td.fc-daygrid-day[data-date="{day}"] {event}')).to_have_count(0)
        shot("still-there-after-a-reload")

        loop = DeliveryLoop("calendar-browser", FAST_ENGINE)
        loop.start()
        try:
            exact.share_now(post)
            _wait_for(
                lambda: Post.objects.get(pk=post.pk).state == PostState.PUBLISHED,
                "the delivery loop to publish the post",
            )
        finally:
            loop.stop()
            loop.join(30)
        assert receiver.count() == 1

        # Ticking a status refetches without a reload: the post is out, today (New York).
        page.get_by_label("Published").check()
        today = timezone.now().astimezone(NEW_YORK).date()
        published = page.locator(f'td.fc-daygrid-day[data-date="{today}"] {event}')
        expect(published).to_have_attribute("data-state", "published")
        expect(page.locator(".fc-event")).to_have_count(1)
        # Published posts cannot be dragged any more.
        expect(published).not_to_have_class(re.compile(r"fc-event-draggable"))
        shot("published-after-a-refetch")

        page.get_by_role("button", name="List").click()
        expect(page.locator(f".fc-list {event}")).to_contain_text("Spring launch 🌷")
        shot("list-view")

        page.get_by_role("button", name="Week").click()
        expect(page.locator(f".fc-timegrid {event}")).to_have_attribute("data-state", "published")
        shot("week-view")


def _scheduled(
    workspace: Workspace, author: User, account: SocialAccount, text: str, day: date, hour: int
) -> Post:
    post = service.create_post(workspace, author, PostInput(text=text, account_ids=[account.pk]))
    exact.schedule_at(post, datetime.combine(day, time(hour)), "Europe/Berlin")
    return post


def _frame(day: date) -> str:
    return f'td.fc-daygrid-day[data-date="{day}"] .fc-daygrid-day-frame'
