"""Dropping a post on the calendar: it keeps its time of day in its own zone, and every
refusal is a JSON answer that leaves the post where it was."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from django.test import Client

from chorus.orgs.models import SocialAccount
from chorus.publishing.calendar.tests.posts import post_at
from chorus.publishing.models import Post, PostState
from chorus.publishing.scheduling.queueing import set_daily_limit

pytestmark = pytest.mark.django_db


def _client(tenants: Any, role: str = "manager", zone: str = "America/New_York") -> Client:
    user = tenants.users[role]
    user.time_zone = zone
    user.save(update_fields=["time_zone"])
    client = Client(enforce_csrf_checks=False)
    client.force_login(user)
    return client


def _move(tenants: Any, client: Client, post: Post, workspace: Any = None, **data: Any) -> Any:
    workspace = workspace or tenants.workspace
    url = f"/o/{workspace.organisation.slug}/w/{workspace.slug}/calendar/posts/{post.pk}/move/"
    return client.post(url, data)


def _utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def _unchanged(post: Post) -> None:
    before = (post.scheduled_at, post.time_zone, post.state, post.version)
    post.refresh_from_db()
    assert (post.scheduled_at, post.time_zone, post.state, post.version) == before
    delivery = post.deliveries.get()
    assert delivery.scheduled_for == post.scheduled_at


def test_a_berlin_morning_post_stays_at_nine_in_berlin_across_the_march_change(tenants):
    # 09:00 in Berlin on 29 March 2030 is 08:00 UTC (winter time), 04:00 in New York.
    post = post_at([tenants.account], "2030-03-29 09:00", "Europe/Berlin")
    response = _move(tenants, _client(tenants), post, date="2030-04-02")
    assert response.status_code == 200, response.content
    post.refresh_from_db()
    # After 31 March Berlin is on summer time: 09:00 there is 07:00 UTC.
    assert post.scheduled_at == _utc("2030-04-02T07:00:00")
    assert post.time_zone == "Europe/Berlin"
    assert post.state == PostState.SCHEDULED
    delivery = post.deliveries.get()
    assert delivery.scheduled_for == delivery.due_at == post.scheduled_at
    body = response.json()
    assert body["detail"] == "Moved to 2030-04-02 09:00 (Europe/Berlin)."
    # The answer is the event as the New York viewer now sees it: 03:00 their time.
    assert body["event"]["start"] == "2030-04-02T03:00:00"
    assert body["event"]["extendedProps"]["postLocalTime"] == "2030-04-02T09:00:00"


def test_it_moves_by_the_days_the_viewer_dragged_even_when_their_day_differs(tenants):
    # 01:00 in Berlin on 10 June is 19:00 on 9 June in New York: the viewer sees the 9th.
    post = post_at([tenants.account], "2030-06-10 01:00", "Europe/Berlin")
    response = _move(tenants, _client(tenants), post, date="2030-06-11")
    assert response.status_code == 200, response.content
    post.refresh_from_db()
    # Two days later on the viewer's calendar: two days later in Berlin, still 01:00.
    assert post.scheduled_at == _utc("2030-06-11T23:00:00")
    assert response.json()["event"]["start"] == "2030-06-11T19:00:00"


def test_a_drop_on_another_time_in_week_view_keeps_the_posts_zone(tenants):
    post = post_at([tenants.account], "2030-06-10 09:00", "Europe/Berlin")
    # 05:30 in New York on 11 June is 09:30 UTC, 11:30 in Berlin.
    response = _move(tenants, _client(tenants), post, local="2030-06-11T05:30")
    assert response.status_code == 200, response.content
    post.refresh_from_db()
    assert post.scheduled_at == _utc("2030-06-11T09:30:00")
    assert post.time_zone == "Europe/Berlin"
    assert response.json()["detail"] == "Moved to 2030-06-11 11:30 (Europe/Berlin)."


def test_a_draft_with_a_time_becomes_scheduled_when_dropped(tenants):
    post = post_at([tenants.account], "2030-06-10 09:00", "UTC", state=PostState.DRAFT)
    response = _move(tenants, _client(tenants, zone="UTC"), post, date="2030-06-12")
    assert response.status_code == 200, response.content
    post.refresh_from_db()
    assert post.state == PostState.SCHEDULED
    assert post.scheduled_at == _utc("2030-06-12T09:00:00")
    assert post.deliveries.get().state == "scheduled"


def test_a_draft_without_a_time_can_be_given_one_but_not_moved_by_days(tenants):
    post = post_at([tenants.account], None, "Europe/Berlin", state=PostState.DRAFT)
    client = _client(tenants, zone="UTC")
    response = _move(tenants, client, post, date="2030-06-12")
    assert response.status_code == 422
    assert response.json()["problems"][0]["code"] == "not_scheduled"
    response = _move(tenants, client, post, local="2030-06-12T07:00")
    assert response.status_code == 200, response.content
    post.refresh_from_db()
    assert (post.scheduled_at, post.time_zone) == (_utc("2030-06-12T07:00"), "Europe/Berlin")


def _refused(response: Any, status: int, field: str, code: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, response.content
    body = response.json()
    assert field in body["errors"], body
    assert body["detail"]
    if code:
        assert body["problems"][0]["code"] == code
    return body


def test_a_day_in_the_past_is_refused(tenants):
    post = post_at([tenants.account], "2030-06-10 09:00", "Europe/Berlin")
    body = _refused(_move(tenants, _client(tenants), post, date="2020-06-10"), 422, "scheduled_at")
    assert "in the past" in body["detail"]
    _unchanged(post)


def test_a_time_the_clocks_skip_on_the_new_day_is_refused_with_the_nearest_times(tenants):
    post = post_at([tenants.account], "2030-03-28 02:30", "Europe/Berlin")
    response = _move(tenants, _client(tenants, zone="Europe/Berlin"), post, date="2030-03-31")
    body = _refused(response, 422, "scheduled_at", "nonexistent_time")
    assert "does not exist in Europe/Berlin" in body["detail"]
    assert body["problems"][0]["suggestions"] == ["2030-03-31T01:59:00", "2030-03-31T03:00:00"]
    _unchanged(post)


def test_a_time_shown_twice_asks_which_and_fold_answers(tenants):
    post = post_at([tenants.account], "2030-10-25 02:30", "Europe/Berlin")
    client = _client(tenants, zone="Europe/Berlin")
    body = _refused(_move(tenants, client, post, date="2030-10-27"), 422, "scheduled_at")
    problem = body["problems"][0]
    assert problem["code"] == "ambiguous_time"
    assert problem["candidates"] == ["2030-10-27T00:30:00+00:00", "2030-10-27T01:30:00+00:00"]
    _unchanged(post)
    response = _move(tenants, client, post, date="2030-10-27", fold="1")
    assert response.status_code == 200, response.content
    post.refresh_from_db()
    assert post.scheduled_at == _utc("2030-10-27T01:30:00")


def test_a_time_in_the_viewers_own_gap_is_refused_on_the_local_field(tenants):
    post = post_at([tenants.account], "2030-03-08 09:00", "Europe/Berlin")
    response = _move(tenants, _client(tenants), post, local="2030-03-10T02:30")
    body = _refused(response, 422, "local", "nonexistent_time")
    assert "America/New_York" in body["detail"]
    _unchanged(post)


def test_a_full_day_is_refused(tenants):
    set_daily_limit(tenants.account, 1)
    post_at([tenants.account], "2030-06-12 18:00", "UTC")
    post = post_at([tenants.account], "2030-06-10 09:00", "UTC")
    response = _move(tenants, _client(tenants, zone="UTC"), post, date="2030-06-12")
    body = _refused(response, 422, "scheduled_at", "daily_limit_reached")
    assert "daily limit (1)" in body["detail"]
    _unchanged(post)


@pytest.mark.parametrize(
    "state", [PostState.IN_REVIEW, PostState.PUBLISHING, PostState.PUBLISHED, PostState.CANCELLED]
)
def test_a_post_in_a_state_a_drag_cannot_change_is_refused(tenants, state):
    post = post_at([tenants.account], "2030-06-10 09:00", "UTC", state=state)
    response = _move(tenants, _client(tenants), post, date="2030-06-12")
    body = _refused(response, 409, "state")
    assert "cannot be moved on the calendar" in body["detail"]
    _unchanged(post)


@pytest.mark.parametrize("role", ["editor", "analyst", "agent"])
def test_roles_without_publish_rights_are_refused_in_json(tenants, role):
    post = post_at([tenants.account], "2030-06-10 09:00", "UTC")
    response = _move(tenants, _client(tenants, role), post, date="2030-06-12")
    assert response.status_code == 403
    assert "does not allow" in response.json()["detail"]
    _unchanged(post)


def test_another_organisations_post_is_not_found_either_way(tenants):
    theirs = post_at([tenants.other_account], "2030-06-10 09:00", "UTC")
    client = _client(tenants, "owner")
    for workspace in (tenants.workspace, tenants.other_workspace):
        response = _move(tenants, client, theirs, workspace=workspace, date="2030-06-12")
        assert response.status_code == 404
        assert response.json()["detail"] == "Not found."
    _unchanged(theirs)


def test_a_post_of_a_sibling_workspace_is_not_moved_through_this_ones_url(tenants):
    sibling = tenants.org.workspaces.create(name="Acme Two")
    account = SocialAccount.objects.create(
        workspace=sibling, network="mastodon", remote_id="s1", handle="@two"
    )
    post = post_at([account], "2030-06-10 09:00", "UTC")
    response = _move(tenants, _client(tenants, "owner"), post, date="2030-06-12")
    assert response.status_code == 404
    _unchanged(post)


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        ({}, "date", "either the new day"),
        ({"date": "2030-06-12", "local": "2030-06-12T09:00"}, "date", "either the new day"),
        ({"date": "12/06/2030"}, "date", "YYYY-MM-DD"),
        ({"date": "2030-02-30"}, "date", "YYYY-MM-DD"),
        ({"local": "2030-06-12 9h"}, "local", "YYYY-MM-DDTHH:MM"),
        ({"local": "2030-06-12T09:00+02:00"}, "local", "without an offset"),
        ({"date": "2030-06-12", "fold": "2"}, "fold", "0 for the first"),
        ({"date": "2030-06-12", "timeZone": "Nowhere/Else"}, "timeZone", "not a time zone"),
    ],
)
def test_malformed_drops_get_a_400_naming_the_field(tenants, data, field, words):
    post = post_at([tenants.account], "2030-06-10 09:00", "UTC")
    response = _move(tenants, _client(tenants), post, **data)
    assert response.status_code == 400, response.content
    body = response.json()
    assert list(body["errors"]) == [field]
    assert words in body["detail"]
    _unchanged(post)


@pytest.mark.parametrize(
    "data", [{"date": "9999-12-31"}, {"date": "0001-01-01"}, {"local": "9999-12-31T23:00"}]
)
def test_days_at_the_edge_of_the_calendar_are_refused_not_crashed_on(tenants, data):
    post = post_at([tenants.account], "2030-06-10 09:00", "Asia/Tokyo")
    response = _move(tenants, _client(tenants), post, **data)
    assert response.status_code == 422, response.content
    _unchanged(post)


def test_the_drop_only_answers_post(tenants):
    post = post_at([tenants.account], "2030-06-10 09:00", "UTC")
    url = f"/o/{tenants.org.slug}/w/{tenants.workspace.slug}/calendar/posts/{post.pk}/move/"
    assert _client(tenants).get(url).status_code == 405


def test_the_drop_needs_the_csrf_token(tenants):
    post = post_at([tenants.account], "2030-06-10 09:00", "UTC")
    client = Client(enforce_csrf_checks=True)
    client.force_login(tenants.users["manager"])
    url = f"/o/{tenants.org.slug}/w/{tenants.workspace.slug}/calendar/posts/{post.pk}/move/"
    assert client.post(url, {"date": "2030-06-12"}).status_code == 403
    _unchanged(post)
