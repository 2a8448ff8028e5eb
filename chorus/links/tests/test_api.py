"""UTM presets, short links and daily clicks over the API."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from chorus.api.tests.conftest import ApiClient
from chorus.links.models import LinkClick, ShortLink, UtmPreset, target_hash
from chorus.publishing.models import Campaign, Post

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(tenants):
    return ApiClient(tenants.users["manager"])


def _presets(tenants) -> str:
    return f"/workspaces/{tenants.workspace.pk}/utm-presets"


def test_it_lists_and_creates_presets(manager, tenants):
    listed = manager.get(_presets(tenants)).json()
    assert [p["name"] for p in listed["items"]] == ["Matrix preset"]
    response = manager.post(
        _presets(tenants),
        {"name": "Social", "utm_source": "{network}", "utm_medium": "social", "is_default": True},
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["name"], body["is_default"], body["campaign_id"]) == ("Social", True, None)
    names = [p["name"] for p in manager.get(_presets(tenants)).json()["items"]]
    assert names == ["Social", "Matrix preset"]  # the default first


def test_an_unknown_placeholder_names_its_field(manager, tenants):
    response = manager.post(
        _presets(tenants), {"name": "Bad", "utm_source": "{network}", "utm_term": "{nework}"}
    )
    assert response.status_code == 422
    body = response.json()
    assert list(body["errors"]) == ["utm_term"]
    assert "{nework}" in body["errors"]["utm_term"][0]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"utm_source": "x"}, "name"),
        ({"name": "No source"}, "utm_source"),
        ({"name": "X", "utm_source": "x", "colour": "red"}, "colour"),
        ({"name": "X", "utm_source": "x" * 201}, "utm_source"),
        ({"name": "X", "utm_source": "a\x00b"}, "utm_source"),
        ({"name": "X", "utm_source": "x", "campaign_id": 0}, "campaign_id"),
        ({"name": "X", "utm_source": "x", "campaign_id": 999999}, "campaign_id"),
    ],
)
def test_bad_input_names_the_field(manager, tenants, body, field):
    response = manager.post(_presets(tenants), body)
    assert response.status_code == 422
    assert field in response.json()["errors"]
    assert not UtmPreset.objects.filter(name="X").exists()


def test_patch_changes_only_what_is_sent(manager, tenants):
    campaign = Campaign.objects.create(workspace=tenants.workspace, name="Spring")
    url = f"{_presets(tenants)}/{tenants.utm_preset.pk}"
    response = manager.patch(url, {"utm_medium": "organic", "campaign_id": campaign.pk})
    assert response.status_code == 200
    assert (response.json()["utm_medium"], response.json()["campaign_id"]) == (
        "organic",
        campaign.pk,
    )
    # null in a template field leaves it; null campaign_id clears it.
    response = manager.patch(url, {"utm_medium": None, "name": None, "campaign_id": None})
    assert response.status_code == 200
    body = response.json()
    assert (body["name"], body["utm_medium"], body["campaign_id"]) == (
        "Matrix preset",
        "organic",
        None,
    )
    response = manager.patch(url, {"utm_source": "{oops}"})
    assert response.status_code == 422 and "utm_source" in response.json()["errors"]


def test_delete(manager, tenants):
    url = f"{_presets(tenants)}/{tenants.utm_preset.pk}"
    assert manager.delete(url).status_code == 204
    assert manager.delete(url).status_code == 404


def test_another_organisations_preset_is_not_found_through_my_workspace(manager, tenants):
    url = f"{_presets(tenants)}/{tenants.other_utm_preset.pk}"
    assert manager.patch(url, {"name": "Mine now"}).status_code == 404
    assert manager.delete(url).status_code == 404
    assert UtmPreset.objects.get(pk=tenants.other_utm_preset.pk).name == "Matrix preset"


def test_a_read_token_cannot_change_presets(tenants):
    reader = ApiClient(tenants.users["manager"], scopes=("read",))
    assert reader.get(_presets(tenants)).status_code == 200
    assert reader.post(_presets(tenants), {"name": "X", "utm_source": "x"}).status_code == 403


def _link(tenants, post, network, code, clicks=0):
    url = f"https://example.com/{code}"
    return ShortLink.objects.create(
        code=code,
        workspace=tenants.workspace,
        post=post,
        network=network,
        target_url=url,
        target_hash=target_hash(url),
        click_count=clicks,
    )


def test_short_links_with_filters(tenants, settings):
    settings.CHORUS_PUBLIC_URL = "https://go.acme.test"
    analyst = ApiClient(tenants.users["analyst"])
    post = Post.objects.create(workspace=tenants.workspace, text="Hello")
    _link(tenants, post, "x", "Xlink01", clicks=5)
    _link(tenants, post, "bluesky", "Blue001", clicks=2)
    url = f"/workspaces/{tenants.workspace.pk}/short-links"
    everything = analyst.get(url).json()
    assert everything["count"] == 3  # the matrix fixture's link too
    only = analyst.get(url, post_id=post.pk, network="x").json()["items"]
    assert [(link["code"], link["click_count"]) for link in only] == [("Xlink01", 5)]
    assert only[0]["short_url"] == "https://go.acme.test/l/Xlink01"
    assert analyst.get(url, post_id=0).status_code == 422


def test_daily_clicks_in_the_workspace_time_zone(tenants):
    tenants.workspace.time_zone = "Asia/Vientiane"  # UTC+7
    tenants.workspace.save()
    link = tenants.short_link
    for moment in [
        datetime(2030, 3, 1, 16, 30, tzinfo=UTC),  # 23:30 on 1 March in Vientiane
        datetime(2030, 3, 1, 17, 30, tzinfo=UTC),  # 00:30 on 2 March
        datetime(2030, 3, 2, 1, 0, tzinfo=UTC),
    ]:
        LinkClick.objects.create(link=link, clicked_at=moment)
    owner = ApiClient(tenants.users["owner"])
    url = f"/short-links/{link.pk}/clicks"
    body = owner.get(url).json()
    assert body["time_zone"] == "Asia/Vientiane"
    assert body["days"] == [
        {"date": "2030-03-01", "clicks": 1},
        {"date": "2030-03-02", "clicks": 2},
    ]
    assert body["total"] == 3
    assert owner.get(url, since="2030-03-02").json()["days"] == [
        {"date": "2030-03-02", "clicks": 2}
    ]
    assert owner.get(url, since="0001-01-01", until="9999-12-31").json()["total"] == 3
    refused = owner.get(url, since="2030-03-02", until="2030-03-01")
    assert refused.status_code == 422 and "until" in refused.json()["errors"]


def test_another_organisations_links_are_not_found(tenants):
    owner = ApiClient(tenants.users["owner"])
    assert owner.get(f"/short-links/{tenants.other_short_link.pk}/clicks").status_code == 404
    listed = owner.get(f"/workspaces/{tenants.workspace.pk}/short-links").json()["items"]
    assert tenants.other_short_link.code not in {link["code"] for link in listed}


def test_the_operations_are_documented(tenants):
    schema = ApiClient(tenants.users["owner"]).get("/openapi.json").json()
    paths = schema["paths"]
    for path in [
        "/api/v1/workspaces/{workspace_id}/utm-presets",
        "/api/v1/workspaces/{workspace_id}/utm-presets/{preset_id}",
        "/api/v1/workspaces/{workspace_id}/short-links",
        "/api/v1/short-links/{link_id}/clicks",
    ]:
        for operation in paths[path].values():
            assert operation["summary"]
            assert {"200", "201", "204"} & set(operation["responses"])
            assert {"401", "403", "404", "422"} <= set(operation["responses"])
