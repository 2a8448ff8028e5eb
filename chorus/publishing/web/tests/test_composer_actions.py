"""The composer's buttons: schedule (with DST gaps and overlaps), queue, publish now,
submit for approval, and the form-only buttons (split, add or remove a part) that work
without JavaScript. A step that fails after the save leaves the post saved, not half done."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from django.utils import timezone

from chorus.publishing.models import AccountQueue, DeliveryState, Post, PostState
from chorus.publishing.web.tests.helpers import account, form, ws_url

GAP_DAY = "2030-03-31"  # Europe/Berlin springs forward at 02:00 that night
OVERLAP_DAY = "2030-10-27"  # and falls back at 03:00


def _berlin(tenants):
    tenants.workspace.time_zone = "Europe/Berlin"
    tenants.workspace.save()


def test_it_schedules_a_post_in_the_zone_chosen(client, tenants):
    _berlin(tenants)
    client.force_login(tenants.users["manager"])
    data = form(
        [tenants.account],
        "See you tomorrow",
        action="schedule",
        date="2030-06-03",
        time="09:15",
        time_zone="Asia/Vientiane",
    )
    response = client.post(ws_url(tenants, "compose/"), data)
    post = Post.objects.get(text="See you tomorrow")
    assert response.status_code == 302
    assert post.state == PostState.SCHEDULED and post.time_zone == "Asia/Vientiane"
    assert post.scheduled_at == datetime(2030, 6, 3, 2, 15, tzinfo=UTC)
    assert post.deliveries.get().state == DeliveryState.SCHEDULED
    page = client.get(response["Location"])
    assert "Scheduled for 2030-06-03 09:15 (Asia/Vientiane)." in page.text
    assert 'data-state="scheduled"' in page.text


def test_a_time_in_the_dst_gap_is_refused_with_the_times_that_exist(client, tenants):
    _berlin(tenants)
    client.force_login(tenants.users["manager"])
    data = form(
        [tenants.account],
        "Spring forward",
        action="schedule",
        date=GAP_DAY,
        time="02:30",
        time_zone="Europe/Berlin",
    )
    response = client.post(ws_url(tenants, "compose/"), data)
    assert response.status_code == 422
    assert re.search(r'id="err-schedule"[^>]*>.*does not exist in Europe/Berlin', response.text)
    assert 'name="use_time" value="2030-03-31T01:59"' in response.text
    assert 'name="use_time" value="2030-03-31T03:00"' in response.text
    # The time is checked before anything is saved; the form keeps what was typed.
    assert not Post.objects.filter(text="Spring forward").exists()
    assert 'value="02:30"' in response.text and ">Spring forward</textarea>" in response.text
    # The live check says the same as the person types.
    check = client.post(ws_url(tenants, "compose/check/"), data)
    assert "does not exist in Europe/Berlin" in check.text
    assert 'id="composer-when-help" class="composer-when-help" hx-swap-oob="true"' in check.text


def test_scheduling_that_fails_after_the_save_leaves_a_saved_draft(client, tenants):
    # The fixture's scheduled post fills the account's only post of that day.
    AccountQueue.objects.create(account=tenants.account, daily_limit=1)
    day = tenants.post_scheduled.scheduled_at.date().isoformat()
    client.force_login(tenants.users["manager"])
    data = form(
        [tenants.account],
        "One too many",
        action="schedule",
        date=day,
        time="23:58",
        time_zone="UTC",
    )
    response = client.post(ws_url(tenants, "compose/"), data)
    assert response.status_code == 422
    assert re.search(r'id="err-schedule"[^>]*>.*has reached its daily limit', response.text)
    assert "Your changes are saved, but the post was not scheduled." in response.text
    post = Post.objects.get(text="One too many")
    assert post.state == PostState.DRAFT and post.scheduled_at is None
    assert post.deliveries.get().state == DeliveryState.WAITING
    # The form now edits the saved post, at its current version: saving again works.
    assert f'action="{ws_url(tenants, f"posts/{post.pk}/edit/")}"' in response.text
    assert f'name="version" value="{post.version}"' in response.text
    assert 'value="23:58"' in response.text


def test_a_suggested_time_fills_the_form_without_saving(client, tenants):
    _berlin(tenants)
    client.force_login(tenants.users["manager"])
    data = form([tenants.account], "Nudge", date=GAP_DAY, time="02:30", use_time="2030-03-31T03:00")
    response = client.post(ws_url(tenants, "compose/"), data)
    assert response.status_code == 200
    assert 'value="03:00"' in response.text
    assert not Post.objects.filter(text="Nudge").exists()


def test_a_time_shown_twice_asks_which_one_and_honours_the_answer(client, tenants):
    _berlin(tenants)
    client.force_login(tenants.users["manager"])
    data = form(
        [tenants.account],
        "Fall back",
        action="schedule",
        date=OVERLAP_DAY,
        time="02:30",
        time_zone="Europe/Berlin",
    )
    check = client.post(ws_url(tenants, "compose/check/"), data)
    assert "happens twice in Europe/Berlin" in check.text
    assert "The first 02:30 (CEST, UTC+02:00)" in check.text
    assert "The second 02:30 (CET, UTC+01:00)" in check.text
    response = client.post(ws_url(tenants, "compose/"), {**data, "fold": "1"})
    assert response.status_code == 302
    post = Post.objects.get(text="Fall back")
    assert post.scheduled_at == datetime(2030, 10, 27, 1, 30, tzinfo=UTC)


def test_a_time_in_the_past_is_refused_before_anything_is_scheduled(client, tenants):
    client.force_login(tenants.users["manager"])
    past = timezone.now() - timedelta(days=2)
    data = form(
        [tenants.account],
        "Too late",
        action="schedule",
        date=past.date().isoformat(),
        time="10:00",
        time_zone="UTC",
    )
    response = client.post(ws_url(tenants, "compose/"), data)
    assert response.status_code == 422
    assert "This time is in the past" in response.text
    assert not Post.objects.filter(text="Too late").exists()


def test_scheduling_needs_a_date_and_a_time(client, tenants):
    client.force_login(tenants.users["manager"])
    response = client.post(
        ws_url(tenants, "compose/"), form([tenants.account], "When?", action="schedule")
    )
    assert response.status_code == 422
    assert re.search(r'id="err-schedule"[^>]*>.*Choose a date and a time', response.text)


def test_add_to_queue_uses_the_posting_slots(client, tenants):
    client.force_login(tenants.users["manager"])
    response = client.post(
        ws_url(tenants, "compose/"), form([tenants.account], "Q", action="queue")
    )
    assert response.status_code == 302
    post = Post.objects.get(text="Q")
    assert post.state == PostState.SCHEDULED and post.queued
    local = post.scheduled_at.astimezone(timezone.get_default_timezone())
    assert (local.hour, local.minute) == (9, 30)  # the fixture's slot, workspace zone UTC


def test_a_paused_queue_stops_publish_now_and_the_post_stays_saved(client, tenants):
    AccountQueue.objects.create(account=tenants.account, paused=True)
    client.force_login(tenants.users["manager"])
    response = client.post(
        ws_url(tenants, "compose/"), form([tenants.account], "Now!", action="now")
    )
    assert response.status_code == 422
    assert re.search(r'id="err-accounts"[^>]*>.*is paused', response.text)
    assert "the post was not published" in response.text
    assert Post.objects.get(text="Now!").state == PostState.DRAFT


def test_publish_now_makes_every_delivery_due(client, tenants):
    client.force_login(tenants.users["manager"])
    client.post(ws_url(tenants, "compose/"), form([tenants.account], "Go", action="now"))
    delivery = Post.objects.get(text="Go").deliveries.get()
    assert delivery.state == DeliveryState.SCHEDULED and delivery.due_at <= timezone.now()


def test_an_editor_cannot_schedule_even_by_crafting_the_request(client, tenants):
    client.force_login(tenants.users["editor"])
    data = form([tenants.account], "Sneaky", action="now")
    assert client.post(ws_url(tenants, "compose/"), data).status_code == 403
    assert not Post.objects.filter(text="Sneaky").exists()


def test_submitted_with_a_time_it_is_scheduled_once_approved(client, tenants):
    client.force_login(tenants.users["editor"])
    data = form(
        [tenants.account],
        "Please check",
        action="submit",
        date="2030-05-05",
        time="12:00",
        time_zone="UTC",
    )
    response = client.post(ws_url(tenants, "compose/"), data)
    post = Post.objects.get(text="Please check")
    assert response.status_code == 302
    assert post.state == PostState.IN_REVIEW
    assert post.scheduled_at == datetime(2030, 5, 5, 12, 0, tzinfo=UTC)
    client.force_login(tenants.users["manager"])
    page = client.get(ws_url(tenants, f"posts/{post.pk}/"))
    assert ">Approve</button>" in page.text and ">Reject</button>" in page.text
    client.post(ws_url(tenants, f"posts/{post.pk}/approve/"))
    post.refresh_from_db()
    assert post.state == PostState.SCHEDULED


def test_split_fills_the_thread_parts_of_that_network(client, tenants):
    x = account(tenants.workspace, "x", "acme_x")
    client.force_login(tenants.users["editor"])
    text = " ".join(f"Sentence number {i} is here." for i in range(40))
    data = form([x], text, action="split:x", **{"v-x-numbering": "1"})
    response = client.post(ws_url(tenants, "compose/split/"), data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response["HX-Trigger-After-Swap"] == "composer-refresh"
    parts = re.findall(
        r'<textarea id="f-v-x-thread-\d+" name="v-x-thread"[^>]*>([^<]*)<', response.text
    )
    first = re.search(r'<textarea id="f-v-x-text"[^>]*>([^<]*)<', response.text)
    assert first and first.group(1).startswith("Sentence number 0 is here.")
    total = len(parts) + 1
    assert total >= 4 and parts[-1].endswith(f" {total}/{total}")
    assert not Post.objects.exists() or not Post.objects.filter(text=text).exists()


def test_a_webhook_is_split_as_for_x_unless_told_otherwise(client, tenants):
    hook = account(tenants.workspace, "webhook", "hook")
    client.force_login(tenants.users["editor"])
    text = "word " * 200
    as_x = client.post(
        ws_url(tenants, "compose/split/"), form([hook], text, action="split:webhook")
    )
    as_mastodon = client.post(
        ws_url(tenants, "compose/split/"),
        form([hook], text, action="split:webhook", **{"v-webhook-split_as": "mastodon"}),
    )
    count = lambda r: len(re.findall(r'name="v-webhook-thread"', r.text))  # noqa: E731
    assert count(as_x) == 3 and count(as_mastodon) == 1


def test_the_form_only_buttons_work_without_javascript(client, tenants):
    x = account(tenants.workspace, "x", "acme_x")
    client.force_login(tenants.users["editor"])
    url = ws_url(tenants, "compose/")
    added = client.post(url, form([x], "One", action="add-part:x", **{"v-x-thread": ["Two"]}))
    assert len(re.findall(r'name="v-x-thread"', added.text)) == 2
    removed = client.post(
        url, form([x], "One", action="remove-part:x:1", **{"v-x-thread": ["Two", "Three"]})
    )
    assert re.findall(r'name="v-x-thread"[^>]*>([^<]*)<', removed.text) == ["Three"]
    split = client.post(url, form([x], "word " * 120, action="split:x"))
    assert len(re.findall(r'name="v-x-thread"', split.text)) == 2
    assert not Post.objects.filter(text__startswith="One").exists()


def test_a_thread_on_a_network_without_threads_is_reported_on_that_network(client, tenants):
    linkedin = account(tenants.workspace, "linkedin", "acme-li")
    client.force_login(tenants.users["editor"])
    data = form([linkedin], "Post", **{"v-linkedin-thread": ["More"]})
    response = client.post(ws_url(tenants, "compose/check/"), data)
    assert "LinkedIn has no threads; keep the post to one part." in response.text
