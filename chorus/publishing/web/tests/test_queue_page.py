"""An account's queue page: the weekly grid of posting times, pause and resume, the daily
limit, and what is coming up. Viewing needs post.view; changing needs post.publish."""

from __future__ import annotations

import re
from datetime import time

from chorus.publishing.models import AccountQueue, PostingSlot
from chorus.publishing.web.tests.helpers import ws_url


def _url(tenants, suffix: str = "") -> str:
    return ws_url(tenants, f"accounts/{tenants.account.pk}/queue/{suffix}")


def test_the_queue_page_shows_the_week_and_what_comes_next(client, tenants):
    client.force_login(tenants.users["analyst"])
    page = client.get(_url(tenants))
    assert page.status_code == 200
    assert page.text.count(">09:30</span>") == 7  # the fixture's slot on every day
    assert "Next posting times" in page.text
    # The scheduled fixture post waits in the queue list.
    assert f'href="{ws_url(tenants, f"posts/{tenants.post_scheduled.pk}/")}"' in page.text
    # An analyst sees, but cannot change.
    assert "Add a posting time" not in page.text and ">Pause</button>" not in page.text
    assert not AccountQueue.objects.filter(account=tenants.account).exists()  # a GET writes nothing


def test_a_manager_adds_a_time_to_several_days_and_removes_one(client, tenants):
    client.force_login(tenants.users["manager"])
    response = client.post(_url(tenants, "slots/"), {"time": "17:45", "weekday": ["0", "4"]})
    assert response.status_code == 302
    added = PostingSlot.objects.filter(account=tenants.account, time=time(17, 45))
    assert sorted(added.values_list("weekday", flat=True)) == [0, 4]
    # The same time again is not a second slot.
    client.post(_url(tenants, "slots/"), {"time": "17:45", "weekday": ["0"]})
    assert added.count() == 2
    slot = added.get(weekday=4)
    page = client.post(_url(tenants, f"slots/{slot.pk}/remove/"), follow=True)
    assert "Posting time Friday 17:45 removed." in page.text
    assert added.count() == 1


def test_bad_slot_input_is_explained(client, tenants):
    client.force_login(tenants.users["manager"])
    no_time = client.post(_url(tenants, "slots/"), {"time": "25:99", "weekday": ["0"]})
    assert no_time.status_code == 422 and "Enter a time such as 09:30." in no_time.text
    no_day = client.post(_url(tenants, "slots/"), {"time": "10:00"})
    assert no_day.status_code == 422 and "Choose at least one day." in no_day.text


def test_pause_and_resume(client, tenants):
    client.force_login(tenants.users["manager"])
    page = client.post(_url(tenants, "pause/"), {"paused": "1"}, follow=True)
    assert AccountQueue.objects.get(account=tenants.account).paused
    assert ">Resume</button>" in page.text and "Paused" in page.text
    client.post(_url(tenants, "pause/"), {"paused": "0"})
    assert not AccountQueue.objects.get(account=tenants.account).paused


def test_the_daily_limit(client, tenants):
    client.force_login(tenants.users["manager"])
    client.post(_url(tenants, "limit/"), {"daily_limit": "4"})
    assert AccountQueue.objects.get(account=tenants.account).daily_limit == 4
    page = client.get(_url(tenants))
    assert re.search(
        r'id="daily-limit" name="daily_limit" type="number" min="1" value="4"', page.text
    )
    refused = client.post(_url(tenants, "limit/"), {"daily_limit": "lots"})
    assert refused.status_code == 422
    assert "Enter a whole number from 1 to 32767" in refused.text
    client.post(_url(tenants, "limit/"), {"daily_limit": ""})
    assert AccountQueue.objects.get(account=tenants.account).daily_limit is None


def test_another_tenants_account_or_slot_is_not_found(client, tenants):
    client.force_login(tenants.users["owner"])
    other = tenants.other_account
    assert client.get(ws_url(tenants, f"accounts/{other.pk}/queue/")).status_code == 404
    other_slot = PostingSlot.objects.filter(account=other).first()
    response = client.post(_url(tenants, f"slots/{other_slot.pk}/remove/"))
    assert response.status_code == 404
    assert PostingSlot.objects.filter(pk=other_slot.pk).exists()


def test_an_editor_cannot_change_the_queue(client, tenants):
    client.force_login(tenants.users["editor"])
    assert client.post(_url(tenants, "pause/"), {"paused": "1"}).status_code == 403
    assert not AccountQueue.objects.filter(account=tenants.account, paused=True).exists()
