"""The post page (times in two zones, the delivery log, buttons by role and state,
revisions), its polling part, the list with filters, and the post page's buttons."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from django.utils import timezone

from chorus.publishing.models import (
    AttemptOutcome,
    DeliveryAttempt,
    DeliveryState,
    Post,
    PostState,
    Tag,
)
from chorus.publishing.web.tests.helpers import form, ws_url


def test_the_post_page_shows_the_time_in_the_workspace_and_in_my_zone(client, tenants):
    tenants.workspace.time_zone = "Europe/Berlin"
    tenants.workspace.save()
    viewer = tenants.users["analyst"]
    viewer.time_zone = "Asia/Vientiane"
    viewer.save()
    post = tenants.post_scheduled
    Post.objects.filter(pk=post.pk).update(scheduled_at=datetime(2030, 1, 14, 9, 0, tzinfo=UTC))
    client.force_login(viewer)
    page = client.get(ws_url(tenants, f"posts/{post.pk}/"))
    assert page.status_code == 200
    workspace_time = re.search(r'data-zone="workspace">([^<]*)<', page.text)
    viewer_time = re.search(r'data-zone="viewer">([^<]*)<', page.text)
    assert workspace_time and workspace_time.group(1) == "Mon 14 Jan 2030, 10:00"  # CET
    assert viewer_time and viewer_time.group(1) == "Mon 14 Jan 2030, 16:00"  # UTC+7
    # The analyst may look, not act.
    assert "Publish now" not in page.text and ">Edit</a>" not in page.text


def test_the_delivery_log_lists_every_attempt_and_polls_while_scheduled(client, tenants):
    post = tenants.post_scheduled
    delivery = post.deliveries.get()
    started = timezone.now() - timedelta(minutes=3)
    DeliveryAttempt.objects.create(
        delivery=delivery,
        number=1,
        worker="worker-a",
        started_at=started,
        finished_at=started + timedelta(seconds=2),
        outcome=AttemptOutcome.RETRYABLE,
        status_code=503,
        error_code="unavailable",
        message="Service unavailable",
        retry_at=started + timedelta(minutes=5),
    )
    client.force_login(tenants.users["manager"])
    page = client.get(ws_url(tenants, f"posts/{post.pk}/"))
    assert 'hx-trigger="every 5s"' in page.text
    assert "worker-a" in page.text and "Service unavailable" in page.text
    assert ">503<" in page.text and "Temporary error" in page.text
    part = client.get(ws_url(tenants, f"posts/{post.pk}/deliveries/"), HTTP_HX_REQUEST="true")
    assert part.status_code == 200
    assert part.text.lstrip().startswith('<section class="card" id="deliveries"')
    assert 'id="post-state" class="badge " hx-swap-oob="true"' in part.text
    assert 'id="post-actions" class="actions" hx-swap-oob="true"' in part.text


def test_a_finished_post_stops_polling(client, tenants):
    Post.objects.filter(pk=tenants.post.pk).update(state=PostState.PUBLISHED)
    client.force_login(tenants.users["manager"])
    part = client.get(ws_url(tenants, f"posts/{tenants.post.pk}/deliveries/"))
    assert "every 5s" not in part.text and 'data-state="published"' in part.text


def test_a_failed_delivery_can_be_tried_again(client, tenants):
    delivery = tenants.failed_delivery
    client.force_login(tenants.users["manager"])
    page = client.get(ws_url(tenants, f"posts/{delivery.post_id}/"))
    assert ">Try again</button>" in page.text
    url = ws_url(tenants, f"posts/{delivery.post_id}/deliveries/{delivery.pk}/retry/")
    response = client.post(url)
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.SCHEDULED and delivery.attempts == 0
    assert Post.objects.get(pk=delivery.post_id).state == PostState.SCHEDULED
    again = client.post(url, follow=True)
    assert "Only a failed delivery can be tried again." in again.text


def test_unschedule_and_cancel(client, tenants):
    post = tenants.post_scheduled
    client.force_login(tenants.users["admin"])
    client.post(ws_url(tenants, f"posts/{post.pk}/unschedule/"))
    post.refresh_from_db()
    assert post.state == PostState.DRAFT
    assert post.deliveries.get().state == DeliveryState.WAITING
    page = client.post(ws_url(tenants, f"posts/{post.pk}/cancel/"), follow=True)
    assert "Cancelled." in page.text
    post.refresh_from_db()
    assert post.state == PostState.CANCELLED
    assert post.deliveries.get().state == DeliveryState.CANCELLED
    refused = client.post(ws_url(tenants, f"posts/{post.pk}/unschedule/"), follow=True)
    assert "This post is not scheduled." in refused.text
    post.refresh_from_db()
    assert post.state == PostState.CANCELLED


def test_publish_now_from_the_post_page(client, tenants):
    post = tenants.post_scheduled
    client.force_login(tenants.users["manager"])
    page = client.post(ws_url(tenants, f"posts/{post.pk}/publish-now/"), follow=True)
    assert "Publishing now." in page.text
    assert post.deliveries.get().due_at <= timezone.now()


def test_an_approver_rejects_a_post_back_to_draft(client, tenants):
    post = tenants.post_in_review
    client.force_login(tenants.users["external_approver"])
    response = client.post(ws_url(tenants, f"posts/{post.pk}/reject/"))
    # External approvers do not see the post pages: they go back home.
    assert response.status_code == 302 and response["Location"] == "/"
    post.refresh_from_db()
    assert post.state == PostState.DRAFT


def test_an_editor_submits_a_draft_from_its_page(client, tenants):
    client.force_login(tenants.users["editor"])
    page = client.get(ws_url(tenants, f"posts/{tenants.post.pk}/"))
    assert ">Submit for approval</button>" in page.text and ">Approve</button>" not in page.text
    client.post(ws_url(tenants, f"posts/{tenants.post.pk}/submit/"))
    tenants.post.refresh_from_db()
    assert tenants.post.state == PostState.IN_REVIEW


def test_revisions_show_each_saved_version(client, tenants):
    client.force_login(tenants.users["manager"])
    client.post(ws_url(tenants, "compose/"), form([tenants.account], "First words", action="save"))
    post = Post.objects.get(text="First words")
    data = form([tenants.account], "Second words", action="save", version=str(post.version))
    client.post(ws_url(tenants, f"posts/{post.pk}/edit/"), data)
    page = client.get(ws_url(tenants, f"posts/{post.pk}/"))
    assert page.text.count("<summary>Version ") == 2
    assert "First words" in page.text and "Second words" in page.text
    assert "@acme" in page.text  # the snapshot's accounts by handle


def test_the_list_filters_by_state_account_campaign_and_tag(client, tenants):
    tagged = tenants.post
    tagged.campaign = tenants.campaign
    tagged.save()
    tagged.tags.add(Tag.objects.create(workspace=tenants.workspace, name="spring & summer"))
    client.force_login(tenants.users["analyst"])
    url = ws_url(tenants, "posts/")
    everything = client.get(url)
    assert everything.text.count("Matrix post") == 4
    assert "Globex" not in everything.text
    by_state = client.get(url, {"state": "in_review"})
    assert by_state.text.count("Matrix post") == 1
    by_campaign = client.get(url, {"campaign": tenants.campaign.pk})
    assert by_campaign.text.count("Matrix post") == 1
    by_tag = client.get(url, {"tag": "spring & summer"})
    assert by_tag.text.count("Matrix post") == 1
    by_account = client.get(url, {"account": tenants.other_account.pk})
    assert "No posts match this filter." in by_account.text
    junk = client.get(url, {"state": "nonsense", "account": "x", "campaign": "²"})
    assert junk.status_code == 200 and junk.text.count("Matrix post") == 4


def test_the_list_pages(client, tenants):
    for i in range(30):
        Post.objects.create(workspace=tenants.workspace, text=f"Bulk {i:02d}")
    client.force_login(tenants.users["editor"])
    first = client.get(ws_url(tenants, "posts/"), {"state": "draft"})
    assert "Page 1 of 2" in first.text and 'href="?state=draft&amp;page=2"' in first.text
    second = client.get(ws_url(tenants, "posts/"), {"state": "draft", "page": 2})
    assert "Bulk 00" in second.text and "Bulk 29" not in second.text


def test_the_workspace_page_links_to_posts_and_each_accounts_queue(client, tenants):
    client.force_login(tenants.users["analyst"])
    page = client.get(ws_url(tenants))
    assert f'href="{ws_url(tenants, "posts/")}"' in page.text
    assert f'href="{ws_url(tenants, f"accounts/{tenants.account.pk}/queue/")}"' in page.text
    client.force_login(tenants.users["agent"])
    page = client.get(ws_url(tenants))
    assert ws_url(tenants, "posts/") not in page.text


def test_a_delivery_waiting_for_a_reconnect_says_so_and_links_to_the_accounts(client, tenants):
    post = tenants.post_scheduled
    account = post.deliveries.get().account
    account.status = account.Status.NEEDS_RECONNECT
    account.save()
    client.force_login(tenants.users["manager"])
    page = client.get(ws_url(tenants, f"posts/{post.pk}/"))
    assert "Waits for the account to be reconnected" in page.text
    assert f'href="{ws_url(tenants, "accounts/")}"' in page.text
