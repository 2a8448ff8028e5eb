"""The calendar's JSON feed: what is in a range, on whose wall clock, with which filters,
and the 400 each bad parameter gets."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from chorus.orgs.models import SocialAccount
from chorus.publishing.calendar.tests.posts import post_at
from chorus.publishing.models import Campaign, PostState, Tag

pytestmark = pytest.mark.django_db

JUNE = {"start": "2030-06-01T00:00:00", "end": "2030-07-01T00:00:00"}


def _client(tenants: Any, role: str = "manager", zone: str = "America/New_York") -> Client:
    user = tenants.users[role]
    user.time_zone = zone
    user.save(update_fields=["time_zone"])
    client = Client()
    client.force_login(user)
    return client


def _feed(tenants: Any, client: Client, workspace: Any = None, **params: Any) -> Any:
    workspace = workspace or tenants.workspace
    url = f"/o/{workspace.organisation.slug}/w/{workspace.slug}/calendar/events/"
    return client.get(url, {**JUNE, **params})


def _ids(response: Any) -> list[int]:
    assert response.status_code == 200, response.content
    return [int(e["id"]) for e in response.json()]


def test_it_shows_a_berlin_post_at_the_new_york_viewers_wall_time(tenants):
    post = post_at([tenants.account], "2030-06-10 09:00", "Europe/Berlin")
    response = _feed(tenants, _client(tenants, zone="America/New_York"))
    [event] = response.json()
    assert event["id"] == str(post.pk)
    # 09:00 in Berlin (UTC+2 in June) is 07:00 UTC, 03:00 in New York (UTC-4).
    assert event["start"] == "2030-06-10T03:00:00"
    assert event["allDay"] is False
    assert event["extendedProps"]["instant"] == "2030-06-10T07:00:00+00:00"
    assert event["extendedProps"]["postTimeZone"] == "Europe/Berlin"
    assert event["extendedProps"]["postLocalTime"] == "2030-06-10T09:00:00"


def test_the_zone_fullcalendar_names_wins_over_the_profile(tenants):
    post_at([tenants.account], "2030-06-10 09:00", "Europe/Berlin")
    response = _feed(tenants, _client(tenants), timeZone="Asia/Vientiane")
    assert response.json()[0]["start"] == "2030-06-10T14:00:00"


def test_it_converts_each_event_with_the_offset_of_its_own_day(tenants):
    # New York changes to summer time on 10 March 2030; Berlin only on 31 March.
    before = post_at([tenants.account], "2030-03-08 09:00", "Europe/Berlin")
    after = post_at([tenants.account], "2030-03-12 09:00", "Europe/Berlin")
    response = _feed(
        tenants, _client(tenants), start="2030-03-01T00:00:00", end="2030-04-01T00:00:00"
    )
    starts = {int(e["id"]): e["start"] for e in response.json()}
    assert starts == {before.pk: "2030-03-08T03:00:00", after.pk: "2030-03-12T04:00:00"}


def test_a_range_without_offset_is_read_on_the_viewers_clock(tenants):
    post = post_at([tenants.account], "2030-06-10 03:30", "America/New_York")
    client = _client(tenants)
    # [04:00, ...) in New York leaves 03:30 out; [03:00, ...) takes it in.
    assert _ids(_feed(tenants, client, start="2030-06-10T04:00:00")) == []
    assert _ids(_feed(tenants, client, start="2030-06-10T03:00:00")) == [post.pk]
    # With an offset the instant is taken as given: 07:00Z is 03:00 in New York.
    assert _ids(_feed(tenants, client, start="2030-06-10T07:00:00Z")) == [post.pk]
    assert _ids(_feed(tenants, client, start="2030-06-10T07:31:00+00:00")) == []
    # The end is exclusive.
    assert _ids(_feed(tenants, client, end="2030-06-10T03:30:00")) == []
    assert _ids(_feed(tenants, client, end="2030-06-10T03:31:00")) == [post.pk]


def test_it_lists_only_posts_in_the_range_and_only_of_this_workspace(tenants):
    inside = post_at([tenants.account], "2030-06-30 23:59", "America/New_York")
    post_at([tenants.account], "2030-07-01 00:00", "America/New_York")
    post_at([tenants.account], "2030-05-31 23:59", "America/New_York")
    post_at([tenants.other_account], "2030-06-15 09:00", "America/New_York")
    post_at([tenants.account], None, state=PostState.DRAFT)  # no time: not on a calendar
    assert _ids(_feed(tenants, _client(tenants))) == [inside.pk]


def test_a_published_post_shows_when_it_went_out_and_cannot_be_dragged(tenants):
    published = post_at(
        [tenants.account],
        "2030-06-10 09:00",
        "UTC",
        state=PostState.PUBLISHED,
        published="2030-06-11 10:15",
    )
    scheduled = post_at([tenants.account], "2030-06-12 09:00", "UTC")
    events = {int(e["id"]): e for e in _feed(tenants, _client(tenants, zone="UTC")).json()}
    assert events[published.pk]["start"] == "2030-06-11T10:15:00"
    assert events[published.pk]["editable"] is False
    assert events[published.pk]["extendedProps"]["moveUrl"] == ""
    assert "chorus-event--published" in events[published.pk]["classNames"]
    assert events[scheduled.pk]["editable"] is True
    assert events[scheduled.pk]["extendedProps"]["moveUrl"].endswith(
        f"/calendar/posts/{scheduled.pk}/move/"
    )


@pytest.mark.parametrize("role", ["editor", "analyst"])
def test_roles_that_cannot_publish_see_nothing_draggable(tenants, role):
    post_at([tenants.account], "2030-06-12 09:00", "UTC")
    [event] = _feed(tenants, _client(tenants, role)).json()
    assert event["editable"] is False


def test_only_drafts_approved_scheduled_and_failed_posts_with_a_time_can_be_dragged(tenants):
    by_state = {
        state: post_at([tenants.account], "2030-06-12 09:00", "UTC", state=state)
        for state in PostState.values
    }
    events = {int(e["id"]): e for e in _feed(tenants, _client(tenants)).json()}
    draggable = {s for s, post in by_state.items() if events[post.pk]["editable"]}
    assert draggable == {"draft", "approved", "scheduled", "failed"}


def test_an_event_carries_its_networks_first_line_and_detail_link(tenants):
    second = SocialAccount.objects.create(
        workspace=tenants.workspace, network="bluesky", remote_id="b1", handle="acme.bsky"
    )
    post = post_at(
        [tenants.account, second], "2030-06-10 09:00", text="  Spring launch  \nline two"
    )
    [event] = _feed(tenants, _client(tenants)).json()
    assert event["title"] == "Spring launch"
    assert event["url"] == (f"/o/{tenants.org.slug}/w/{tenants.workspace.slug}/posts/{post.pk}/")
    networks = event["extendedProps"]["networks"]
    assert [(n["network"], n["mark"], n["handle"]) for n in networks] == [
        ("bluesky", "Bs", "acme.bsky"),
        ("mastodon", "Ma", "@acme"),
    ]
    assert event["extendedProps"]["stateLabel"] == "Scheduled"


def test_a_long_first_line_is_shortened(tenants):
    post_at([tenants.account], "2030-06-10 09:00", text="word " * 40)
    [event] = _feed(tenants, _client(tenants)).json()
    assert len(event["title"]) == 80 and event["title"].endswith("…")


def test_it_filters_by_account_campaign_tag_and_status(tenants):
    second = SocialAccount.objects.create(
        workspace=tenants.workspace, network="bluesky", remote_id="b1", handle="acme.bsky"
    )
    spring = Campaign.objects.create(workspace=tenants.workspace, name="Spring")
    launch = Tag.objects.create(workspace=tenants.workspace, name="launch")
    on_first = post_at([tenants.account], "2030-06-10 09:00")
    on_both = post_at([tenants.account, second], "2030-06-11 09:00", campaign=spring)
    tagged = post_at([second], "2030-06-12 09:00", tags=[launch], state=PostState.DRAFT)
    failed = post_at([second], "2030-06-13 09:00", state=PostState.FAILED)
    client = _client(tenants)

    assert _ids(_feed(tenants, client, account=tenants.account.pk)) == [on_first.pk, on_both.pk]
    assert _ids(_feed(tenants, client, account=second.pk)) == [on_both.pk, tagged.pk, failed.pk]
    assert _ids(_feed(tenants, client, campaign=spring.pk)) == [on_both.pk]
    assert _ids(_feed(tenants, client, tag=launch.pk)) == [tagged.pk]
    assert _ids(_feed(tenants, client, state="draft")) == [tagged.pk]
    assert _ids(_feed(tenants, client, state=["draft", "failed"])) == [tagged.pk, failed.pk]
    assert _ids(_feed(tenants, client, state="draft,failed")) == [tagged.pk, failed.pk]
    assert _ids(_feed(tenants, client, account=second.pk, state="scheduled")) == [on_both.pk]
    # Blank values (an untouched select) mean no filter.
    assert len(_ids(_feed(tenants, client, account="", campaign="", tag="", state=""))) == 4


def _problem(response: Any, field: str) -> str:
    assert response.status_code == 400, response.content
    body = response.json()
    assert list(body["errors"]) == [field], body
    return body["detail"]


@pytest.mark.parametrize(
    ("params", "field", "words"),
    [
        ({"start": ""}, "start", "required"),
        ({"end": None}, "end", "required"),
        ({"start": "2030-13-01"}, "start", "ISO 8601"),
        ({"start": "yesterday"}, "start", "ISO 8601"),
        ({"start": "\x002030-06-01T00:00:00"}, "start", "ISO 8601"),
        ({"start": "0001-01-01T00:00:00+14:00"}, "start", "ISO 8601"),
        ({"end": "9999-12-31T23:59:59-12:00"}, "end", "ISO 8601"),
        ({"end": "2030-05-01T00:00:00"}, "end", "after its start"),
        ({"start": "9999-12-31T00:00:00Z", "end": "9999-12-31T23:00:00Z"}, "end", "closer"),
        ({"start": "0001-01-01T12:00:00Z", "end": "0001-01-02T00:00:00Z"}, "start", "closer"),
        ({"end": "2031-06-01T00:00:00"}, "end", "100 days"),
        ({"timeZone": "Mars/Olympus_Mons"}, "timeZone", "not a time zone"),
        ({"timeZone": "../../etc/passwd"}, "timeZone", "not a time zone"),
        ({"account": "abc"}, "account", "whole number"),
        ({"account": "٣"}, "account", "whole number"),
        ({"account": "99999999999999999999999"}, "account", "no such account"),
        ({"campaign": "-1"}, "campaign", "whole number"),
        ({"campaign": "424242"}, "campaign", "no such campaign"),
        ({"tag": "1.5"}, "tag", "whole number"),
        ({"state": "sent"}, "state", "not a post state"),
    ],
)
def test_bad_parameters_get_a_400_naming_them(tenants, params, field, words):
    client = _client(tenants)
    query = {**JUNE, **params}
    query = {k: v for k, v in query.items() if v is not None}
    url = f"/o/{tenants.org.slug}/w/{tenants.workspace.slug}/calendar/events/"
    detail = _problem(client.get(url, query), field)
    assert words.lower() in detail.lower()


def test_another_workspaces_account_campaign_or_tag_is_not_a_filter_here(tenants):
    other_tag = Tag.objects.create(workspace=tenants.other_workspace, name="secret")
    client = _client(tenants)
    assert "no such account" in _problem(
        _feed(tenants, client, account=tenants.other_account.pk), "account"
    )
    assert "no such campaign" in _problem(
        _feed(tenants, client, campaign=tenants.other_campaign.pk), "campaign"
    )
    assert "no such tag" in _problem(_feed(tenants, client, tag=other_tag.pk), "tag")


def test_another_organisations_feed_is_not_found_in_json(tenants):
    response = _feed(tenants, _client(tenants), workspace=tenants.other_workspace)
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found.", "errors": {}}


def test_a_role_without_post_view_is_refused_in_json(tenants):
    response = _feed(tenants, _client(tenants, "agent"))
    assert response.status_code == 403
    assert "does not allow" in response.json()["detail"]


def test_the_feed_only_answers_get(tenants):
    url = f"/o/{tenants.org.slug}/w/{tenants.workspace.slug}/calendar/events/"
    assert _client(tenants).post(url, JUNE).status_code == 405


def test_the_feed_costs_the_same_queries_for_many_posts(tenants):
    tag = Tag.objects.create(workspace=tenants.workspace, name="launch")
    client = _client(tenants)

    def queries_for_june() -> int:
        with CaptureQueriesContext(connection) as queries:
            _ids(_feed(tenants, client))
        return len(queries)

    post_at([tenants.account], "2030-06-01 09:00", tags=[tag])
    one = queries_for_june()
    for day in range(2, 21):
        post_at([tenants.account], f"2030-06-{day:02d} 09:00", tags=[tag])
    assert queries_for_june() == one
