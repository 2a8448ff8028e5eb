"""The composer in a real browser, end to end: a manager writes a long post for a webhook
account, watches the live counter, splits the text into a thread, schedules it, then
publishes it now; a delivery loop running beside the test sends it to a real receiver,
and the post page turns to "Published" by itself. Screenshots under var/test-artifacts/.
"""

from __future__ import annotations

import gc
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from chorus.connectors.webhook.tests.receiver import Receiver
from chorus.media.tests.files import image_bytes
from chorus.orgs.models import SocialAccount
from chorus.publishing.delivery.loop import DeliveryLoop
from chorus.publishing.models import Post, PostState
from chorus.publishing.tests.browser import FAST_ENGINE, log_in
from chorus.publishing.tests.factories import webhook_account

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

LONG_TEXT = " ".join(
    f"Paragraph {n}: our spring collection arrives in Vientiane this week, with new colours "
    f"and the same careful stitching as always."
    for n in range(1, 7)
)


def test_it_composes_splits_schedules_and_publishes_a_thread(tenants, browser_steps):
    page, shot = browser_steps.page, browser_steps.shot
    workspace = tenants.workspace
    counter = page.locator('[data-counter-network="webhook"]')
    loop = DeliveryLoop("browser-test", FAST_ENGINE)
    with Receiver() as receiver:
        webhook_account(workspace, receiver.credentials(), name="launch-hook")
        try:
            log_in(page, tenants.users["manager"].email)
            page.goto(f"/o/{tenants.org.slug}/w/{workspace.slug}/compose/")
            expect(page.get_by_role("heading", name="New post")).to_be_visible()
            shot("composer-empty")

            page.get_by_role("checkbox", name="launch-hook").check()
            expect(page.get_by_role("tab", name="Webhook")).to_be_visible()
            text = page.get_by_label("Text", exact=True)
            text.fill(LONG_TEXT)
            expect(counter).to_contain_text(f"{len(LONG_TEXT)} characters")
            text.press_sequentially(" Thanks!")
            expect(counter).to_contain_text(f"{len(LONG_TEXT) + 8} characters")
            expect(page.locator('[data-preview="webhook"]')).to_contain_text("Paragraph 6")
            shot("long-text-counted")

            panel = page.get_by_role("tabpanel", name="Webhook")
            panel.get_by_label("Number the parts (1/3)").check()
            panel.get_by_role("button", name=re.compile(r"^Split into a thread")).click()
            parts = page.locator('textarea[name="v-webhook-thread"]')
            expect(parts.first).to_be_visible()
            count = parts.count() + 1
            assert count >= 3
            expect(parts.last).to_have_value(re.compile(rf" {count}/{count}$"))
            # The counters follow the parts: one per part, each counted by the server.
            expect(counter).to_contain_text(f"Part {count}:")
            shot("split-into-a-thread")

            day = (timezone.now() + timedelta(days=1)).date()
            page.get_by_label("Date").fill(day.isoformat())
            page.get_by_label("Time", exact=True).fill("10:00")
            expect(page.locator("[data-when-resolved]")).to_be_visible()
            shot("time-chosen")
            page.get_by_role("button", name="Schedule", exact=True).click()

            expect(page).to_have_url(re.compile(r"/posts/\d+/$"))
            expect(page.locator("#post-state")).to_have_text("Scheduled")
            expect(
                page.get_by_text(f"Scheduled for {day.isoformat()} 10:00 (UTC).")
            ).to_be_visible()
            shot("scheduled")
            post = Post.objects.get(pk=int(page.url.rstrip("/").rsplit("/", 1)[1]))
            texts = [post.variants.get().text, *post.variants.get().thread]
            assert len(texts) == count

            loop.start()
            page.get_by_role("button", name="Publish now").click()
            expect(page.get_by_text("Publishing now.")).to_be_visible()
            shot("publishing")
            # The delivery part polls every 5 seconds and brings the post's state with it.
            expect(page.locator("#post-state")).to_have_text("Published", timeout=40_000)
            expect(page.locator("#deliveries")).to_contain_text("Published")
            shot("published")
        finally:
            loop.stop()
            loop.join(10)
            # The loop's sending threads have ended; their database connections go with them
            # once collected, so the test database can be dropped at the end of the run.
            gc.collect()

    post.refresh_from_db()
    assert post.state == PostState.PUBLISHED
    delivery = post.deliveries.get()
    assert receiver.duplicates() == {}
    assert receiver.count() == count
    received = {
        a.payload["part"]: a.payload["text"]
        for arrivals in receiver.arrivals.values()
        for a in arrivals
    }
    assert [received[i] for i in range(count)] == texts
    assert all(k.startswith(delivery.idempotency_key) for k in receiver.arrivals)


def test_it_attaches_a_picture_edits_a_thread_and_fixes_a_dst_gap_in_place(tenants, browser_steps):
    page, shot = browser_steps.page, browser_steps.shot
    workspace = tenants.workspace
    workspace.time_zone = "Europe/Berlin"
    workspace.save()
    SocialAccount.objects.create(
        workspace=workspace, network="x", remote_id="x-1", handle="acme_x", credentials={}
    )
    log_in(page, tenants.users["editor"].email)
    page.goto(f"/o/{tenants.org.slug}/w/{workspace.slug}/compose/")
    # An editor gets no scheduling buttons, only approval.
    expect(page.get_by_role("button", name="Submit for approval")).to_be_visible()
    expect(page.get_by_role("button", name="Schedule", exact=True)).to_have_count(0)

    page.get_by_role("checkbox", name="acme_x").check()
    page.get_by_role("checkbox", name="@acme").check()
    expect(page.get_by_role("tab", name="X")).to_be_visible()
    expect(page.get_by_role("tab", name="Mastodon")).to_be_visible()
    page.get_by_label("Text", exact=True).fill("Morning market in Luang Prabang 🌅")
    x_counter = page.locator('[data-counter-network="x"]')
    expect(x_counter).to_contain_text("/280")

    page.get_by_label("Add files").set_input_files(
        files=[
            {
                "name": "market.png",
                "mimeType": "image/png",
                "buffer": image_bytes(size=(320, 200), color="orange"),
            }
        ]
    )
    alt = page.get_by_label("Alt text · market.png")
    expect(alt).to_be_visible()
    alt.fill("Fruit stalls at dawn")
    expect(page.locator('[data-preview="x"] img[alt="Fruit stalls at dawn"]')).to_be_visible()
    # A click on the picture sets Mastodon's focus point: the 320x200 picture is drawn
    # 80x50 in the middle of an 80x80 square, so (60, 25) is halfway right, 0.6 up
    # (give or take the browser's rounding of the pointer to whole pixels).
    page.locator("[data-media-thumb] img").click(position={"x": 60, "y": 25})
    focus = page.get_by_label("Focus point")
    expect(focus).not_to_have_value("")
    x, y = (float(n) for n in focus.input_value().split(","))
    assert abs(x - 0.5) < 0.05 and abs(y - 0.6) < 0.05
    shot("picture-attached")

    page.get_by_role("tab", name="X").click()
    x_panel = page.get_by_role("tabpanel", name="X")
    x_panel.get_by_role("button", name=re.compile(r"^Add a part")).click()
    x_panel.get_by_label("Part 2", exact=True).fill("The sticky rice sells out first. " * 12)
    expect(x_counter).to_contain_text("Part 2:")
    expect(x_counter.locator(".counter-over")).to_have_count(1)
    expect(page.locator("#err-v-x-thread-1")).to_contain_text("too long for X")
    expect(page.locator("#err-v-x-thread-1 mark")).to_be_visible()
    shot("thread-part-too-long")
    x_panel.get_by_role("button", name=re.compile(r"^Remove part")).click()
    expect(x_panel.get_by_label("Part 2", exact=True)).to_have_count(0)
    expect(x_counter.locator(".counter-over")).to_have_count(0)

    page.get_by_role("tab", name="Mastodon").click()
    mastodon = page.get_by_role("tabpanel", name="Mastodon")
    mastodon.get_by_label("Content warning").fill("Food photos")
    expect(page.locator('[data-preview="mastodon"] details summary')).to_contain_text("Food photos")

    page.get_by_label("Date").fill("2030-03-31")
    page.get_by_label("Time", exact=True).fill("02:30")
    expect(page.locator("#err-schedule")).to_contain_text("does not exist in Europe/Berlin")
    shot("dst-gap")
    page.get_by_role("button", name="Use 2030-03-31 03:00").click()
    expect(page.get_by_label("Time", exact=True)).to_have_value("03:00")
    expect(page.locator("#err-schedule")).to_be_empty()
    expect(page.locator("[data-when-resolved]")).to_be_visible()
    shot("dst-gap-fixed")

    page.get_by_role("button", name="Submit for approval").click()
    expect(page.locator("#post-state")).to_have_text("In review")
    post = Post.objects.get(pk=int(page.url.rstrip("/").rsplit("/", 1)[1]))
    assert post.media.get().alt_text == "Fruit stalls at dawn"
    assert post.media.get().focus == (x, y)
    assert post.variants.get(network="mastodon").options == {"spoiler_text": "Food photos"}
    assert post.time_zone == "Europe/Berlin"
    shot("submitted")
