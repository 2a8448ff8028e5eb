from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from chorus.orgs.models import SocialAccount
from chorus.publishing.api.tests.helpers import Api
from chorus.publishing.models import Delivery, DeliveryState, Post, PostRevision, PostState
from chorus.publishing.rules.measure import grapheme_count

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(tenants) -> Api:  # type: ignore[no-untyped-def]
    return Api(tenants.users["manager"])


@pytest.fixture
def x_account(tenants) -> SocialAccount:  # type: ignore[no-untyped-def]
    return SocialAccount.objects.create(
        workspace=tenants.workspace, network="x", remote_id="x1", handle="@acme_x"
    )


def _create(api: Api, tenants, **body) -> dict:  # type: ignore[no-untyped-def]
    body.setdefault("account_ids", [tenants.account.pk])
    response = api.call("POST", f"/workspaces/{tenants.workspace.pk}/posts", body)
    assert response.status_code == 201, response.content
    return response.json()


def test_validate_counts_as_each_network_counts_and_saves_nothing(api, tenants, x_account) -> None:
    before = Post.objects.count()
    text = "ສະບາຍດີ " * 40  # Lao weighs 2 on X, 1 a grapheme on Mastodon
    response = api.call(
        "POST",
        f"/workspaces/{tenants.workspace.pk}/posts/validate",
        {"text": text, "account_ids": [tenants.account.pk, x_account.pk]},
    )
    assert response.status_code == 200
    data = response.json()
    counters = {c["network"]: c for c in data["counters"]}
    assert counters["mastodon"]["count"] == grapheme_count(text.strip())
    assert counters["x"]["count"] > counters["x"]["limit"] == 280
    (problem,) = data["problems"]
    assert problem["network"] == "x" and problem["code"] == "too_long"
    assert problem["field"] == "text" and 0 < problem["start"] < problem["end"]
    assert Post.objects.count() == before


def test_creating_an_over_long_post_names_the_field_and_span_and_writes_nothing(
    api, tenants, x_account
) -> None:
    before = Post.objects.count()
    response = api.call(
        "POST",
        f"/workspaces/{tenants.workspace.pk}/posts",
        {
            "text": "fine",
            "account_ids": [x_account.pk],
            "variants": [{"network": "x", "text": "a" * 300}],
        },
    )
    assert response.status_code == 422
    (problem,) = response.json()["problems"]
    assert problem["field"] == "variants.x.text"
    assert (problem["start"], problem["end"]) == (280, 300)
    assert Post.objects.count() == before


def test_another_organisations_account_is_unknown(api, tenants) -> None:
    response = api.call(
        "POST",
        f"/workspaces/{tenants.workspace.pk}/posts",
        {"text": "hi", "account_ids": [tenants.other_account.pk]},
    )
    assert response.status_code == 422
    assert "accounts" in response.json()["errors"]
    assert b"globex" not in response.content.lower()


def test_create_edit_and_revisions(api, tenants) -> None:
    post = _create(api, tenants, text="First", tags=["launch"])
    assert post["state"] == PostState.DRAFT and post["tags"] == ["launch"]
    response = api.call(
        "PATCH",
        f"/posts/{post['id']}",
        {"text": "Second", "account_ids": [tenants.account.pk], "version": post["version"]},
    )
    assert response.status_code == 200 and response.json()["text"] == "Second"
    stale = api.call(
        "PATCH",
        f"/posts/{post['id']}",
        {"text": "Third", "account_ids": [tenants.account.pk], "version": post["version"]},
    )
    assert stale.status_code == 422 and "version" in stale.json()["errors"]
    revisions = api.call("GET", f"/posts/{post['id']}/revisions").json()
    assert [r["content"]["text"] for r in revisions] == ["Second", "First"]
    assert PostRevision.objects.filter(post_id=post["id"]).count() == 2


def test_schedule_refuses_a_time_the_clocks_skip_and_keeps_nothing(api, tenants) -> None:
    post = _create(api, tenants, text="DST")
    response = api.call(
        "POST",
        f"/posts/{post['id']}/schedule",
        {"local_time": "2030-03-31T02:30", "time_zone": "Europe/Berlin"},
    )
    assert response.status_code == 422
    assert "scheduled_at" in response.json()["errors"]
    assert Post.objects.get(pk=post["id"]).state == PostState.DRAFT
    assert not Delivery.objects.filter(post_id=post["id"], state=DeliveryState.SCHEDULED).exists()


def test_an_ambiguous_time_needs_a_fold(api, tenants) -> None:
    post = _create(api, tenants, text="DST")
    body = {"local_time": "2030-10-27T02:30", "time_zone": "Europe/Berlin"}
    assert api.call("POST", f"/posts/{post['id']}/schedule", body).status_code == 422
    response = api.call("POST", f"/posts/{post['id']}/schedule", {**body, "fold": 1})
    assert response.status_code == 200
    data = response.json()
    assert data["state"] == PostState.SCHEDULED
    assert data["scheduled_at"].startswith("2030-10-27T01:30")  # the second 02:30 is CET
    assert data["local_time"] == "2030-10-27T02:30:00"


def test_a_past_time_is_refused(api, tenants) -> None:
    post = _create(api, tenants, text="Late")
    past = (timezone.now() - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    response = api.call(
        "POST", f"/posts/{post['id']}/schedule", {"local_time": past, "time_zone": "UTC"}
    )
    assert response.status_code == 422
    assert response.json()["problems"][0]["code"] == "in_past"


def test_schedule_list_move_cancel(api, tenants) -> None:
    post = _create(api, tenants, text="Plan")
    day = (timezone.now() + timedelta(days=5)).date()
    response = api.call(
        "POST",
        f"/posts/{post['id']}/schedule",
        {"local_time": f"{day}T09:00", "time_zone": "America/New_York"},
    )
    assert response.status_code == 200
    start = datetime.combine(day, datetime.min.time()).isoformat() + "Z"
    listed = api.call("GET", f"/workspaces/{tenants.workspace.pk}/posts?start={start}").json()
    assert tenants.post.pk not in [p["id"] for p in listed]  # a draft without a time
    assert post["id"] in [p["id"] for p in listed]
    moved = api.call(
        "POST", f"/posts/{post['id']}/move", {"date": str(day + timedelta(days=1))}
    ).json()
    assert moved["local_time"] == f"{day + timedelta(days=1)}T09:00:00"
    cancelled = api.call("POST", f"/posts/{post['id']}/cancel").json()
    assert cancelled["state"] == PostState.CANCELLED
    assert {d["state"] for d in cancelled["deliveries"]} == {DeliveryState.CANCELLED}


def test_an_editor_submits_and_a_manager_approves(api, tenants) -> None:
    editor = Api(tenants.users["editor"])
    post = _create(editor, tenants, text="Please check")
    assert editor.call("POST", f"/posts/{post['id']}/publish-now").status_code == 403
    assert editor.call("POST", f"/posts/{post['id']}/submit").json()["state"] == "in_review"
    assert api.call("POST", f"/posts/{post['id']}/approve").json()["state"] == "approved"


def test_a_failed_delivery_can_be_retried_and_its_log_read(api, tenants) -> None:
    delivery = tenants.failed_delivery
    response = api.call("POST", f"/deliveries/{delivery.pk}/retry")
    assert response.status_code == 200
    assert response.json()["state"] == DeliveryState.SCHEDULED
    assert api.call("POST", f"/deliveries/{delivery.pk}/retry").status_code == 409
    log = api.call("GET", f"/posts/{delivery.post_id}/deliveries").json()
    assert log[0]["id"] == delivery.pk and "log" in log[0]


def test_queue_settings_round_trip(api, tenants) -> None:
    body = {
        "paused": True,
        "daily_limit": 3,
        "slots": [{"weekday": 0, "time": "09:00"}, {"weekday": 2, "time": "17:30"}],
    }
    response = api.call("PUT", f"/accounts/{tenants.account.pk}/queue", body)
    assert response.status_code == 200
    data = response.json()
    assert data["paused"] and data["daily_limit"] == 3
    assert data["slots"] == body["slots"]
    assert len(data["upcoming"]) == 4  # two slots a week over the next 14 days


def test_a_published_post_cannot_be_deleted(api, tenants) -> None:
    post = _create(api, tenants, text="Out")
    Post.objects.filter(pk=post["id"]).update(state=PostState.PUBLISHED)
    assert api.call("DELETE", f"/posts/{post['id']}").status_code == 409
    assert Post.objects.filter(pk=post["id"]).exists()


def test_a_media_focus_point_round_trips(api, tenants) -> None:
    asset = tenants.media_asset
    media = [
        {"asset_id": asset.pk, "alt_text": "Teal", "focus": {"x": -0.25, "y": 0.75}},
        {"asset_id": asset.pk, "network": "mastodon"},
    ]
    post = _create(api, tenants, text="Focused", media=media)
    assert {m["network"]: m["focus"] for m in post["media"]} == {
        "": {"x": -0.25, "y": 0.75},
        "mastodon": None,
    }
    rows = {m.network: m for m in Post.objects.get(pk=post["id"]).media.all()}
    assert rows[""].focus == (-0.25, 0.75) and rows["mastodon"].focus is None
    fetched = api.call("GET", f"/posts/{post['id']}").json()
    assert {m["network"]: m["focus"] for m in fetched["media"]} == {
        "": {"x": -0.25, "y": 0.75},
        "mastodon": None,
    }
    revision = api.call("GET", f"/posts/{post['id']}/revisions").json()[0]
    assert {m["network"]: m["focus"] for m in revision["content"]["media"]}[""] == [-0.25, 0.75]


@pytest.mark.parametrize(
    "focus, field",
    [
        ({"x": 1.5, "y": 0}, "media.0.focus.x"),
        ({"x": 0, "y": -1.01}, "media.0.focus.y"),
        ({"x": 0}, "media.0.focus.y"),
        ({"x": "left", "y": 0}, "media.0.focus.x"),
    ],
)
def test_a_focus_point_outside_minus_one_to_one_is_refused(api, tenants, focus, field) -> None:
    before = Post.objects.count()
    response = api.call(
        "POST",
        f"/workspaces/{tenants.workspace.pk}/posts",
        {
            "text": "Off the edge",
            "account_ids": [tenants.account.pk],
            "media": [{"asset_id": tenants.media_asset.pk, "focus": focus}],
        },
    )
    assert response.status_code == 422
    assert field in response.json()["errors"], response.json()
    assert Post.objects.count() == before
