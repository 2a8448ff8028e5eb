"""The UTM preset pages and the link clicks report."""

from __future__ import annotations

import pytest

from chorus.links.models import LinkClick, ShortLink, UtmPreset, target_hash
from chorus.links.utm import PLACEHOLDERS
from chorus.links.views.presets import PLACEHOLDER_HELP
from chorus.publishing.models import Campaign, Post

pytestmark = pytest.mark.django_db


def _ws(tenants) -> str:
    return f"/o/{tenants.org.slug}/w/{tenants.workspace.slug}/"


@pytest.fixture
def manager_client(client, tenants):
    client.force_login(tenants.users["manager"])
    return client


def _form(**overrides):
    data = {
        "name": "Newsletter",
        "campaign": "",
        "utm_source": "{network}",
        "utm_medium": "social",
        "utm_campaign": "{campaign}",
        "utm_term": "",
        "utm_content": "{post_id}",
    }
    data.update(overrides)
    return data


def test_every_placeholder_is_explained():
    assert set(PLACEHOLDER_HELP) == set(PLACEHOLDERS)


def test_the_list_shows_presets_and_what_they_are_for(manager_client, tenants):
    campaign = Campaign.objects.create(workspace=tenants.workspace, name="Spring")
    UtmPreset.objects.create(
        workspace=tenants.workspace, name="Spring's", utm_source="s", campaign=campaign
    )
    response = manager_client.get(_ws(tenants) + "links/utm/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Matrix preset" in body and "Campaign “Spring”" in body
    assert "{post_id}" in body  # the placeholder help
    assert "links/utm/new/" in body


def test_a_viewer_sees_presets_without_change_buttons(client, tenants):
    client.force_login(tenants.users["editor"])
    body = client.get(_ws(tenants) + "links/utm/").content.decode()
    assert "Matrix preset" in body
    assert "links/utm/new/" not in body


def test_creating_a_default_preset(manager_client, tenants):
    response = manager_client.post(_ws(tenants) + "links/utm/new/", _form(is_default="on"))
    assert response.status_code == 302
    preset = UtmPreset.objects.get(workspace=tenants.workspace, name="Newsletter")
    assert preset.is_default and preset.utm_content == "{post_id}"


def test_an_unknown_placeholder_is_shown_at_its_field(manager_client, tenants):
    response = manager_client.post(_ws(tenants) + "links/utm/new/", _form(utm_medium="{medium}"))
    assert response.status_code == 400
    form = response.context["form"]
    assert list(form.errors) == ["utm_medium"]
    assert "{medium}" in form.errors["utm_medium"][0]
    assert not UtmPreset.objects.filter(name="Newsletter").exists()


def test_a_campaign_preset_and_its_errors(manager_client, tenants):
    campaign = Campaign.objects.create(workspace=tenants.workspace, name="Spring")
    theirs = Campaign.objects.create(workspace=tenants.other_workspace, name="Theirs")
    url = _ws(tenants) + "links/utm/new/"
    response = manager_client.post(url, _form(campaign=theirs.pk))
    assert response.status_code == 400 and "campaign" in response.context["form"].errors
    response = manager_client.post(url, _form(campaign=campaign.pk, is_default="on"))
    assert response.status_code == 400 and "is_default" in response.context["form"].errors
    assert manager_client.post(url, _form(campaign=campaign.pk)).status_code == 302
    assert UtmPreset.objects.get(name="Newsletter").campaign == campaign


def test_editing_and_deleting(manager_client, tenants):
    preset = tenants.utm_preset
    base = _ws(tenants) + f"links/utm/{preset.pk}/"
    page = manager_client.get(base)
    assert page.status_code == 200 and 'value="Matrix preset"' in page.content.decode()
    assert manager_client.post(base, _form(name="Renamed")).status_code == 302
    preset.refresh_from_db()
    assert preset.name == "Renamed"
    assert manager_client.get(base + "delete/").status_code == 200
    assert manager_client.post(base + "delete/").status_code == 302
    assert not UtmPreset.objects.filter(pk=preset.pk).exists()


@pytest.mark.parametrize("suffix", ["", "delete/"])
def test_another_organisations_preset_is_not_found_through_my_workspace(
    manager_client, tenants, suffix
):
    url = _ws(tenants) + f"links/utm/{tenants.other_utm_preset.pk}/{suffix}"
    assert manager_client.get(url).status_code == 404
    assert manager_client.post(url, _form(name="Taken over")).status_code == 404
    tenants.other_utm_preset.refresh_from_db()
    assert tenants.other_utm_preset.name == "Matrix preset"


def test_a_huge_preset_id_is_not_found(manager_client, tenants):
    assert manager_client.get(_ws(tenants) + f"links/utm/{2**70}/").status_code == 404


def _link(tenants, post, network, code, clicks):
    url = f"https://example.com/{code}"
    link = ShortLink.objects.create(
        code=code,
        workspace=tenants.workspace,
        post=post,
        network=network,
        target_url=url,
        target_hash=target_hash(url),
        click_count=clicks,
    )
    return link


def test_the_report_counts_clicks_per_post_and_network(client, tenants):
    client.force_login(tenants.users["analyst"])
    post = Post.objects.create(workspace=tenants.workspace, text="ສະບາຍດີ spring launch")
    _link(tenants, post, "x", "Aaaaaa1", 3)
    _link(tenants, post, "x", "Aaaaaa2", 4)
    _link(tenants, post, "bluesky", "Aaaaaa3", 2)
    ShortLink.objects.create(
        code="Other01",
        workspace=tenants.other_workspace,
        target_url="https://globex.test/",
        target_hash=target_hash("https://globex.test/"),
        click_count=99,
    )
    response = client.get(_ws(tenants) + "links/")
    assert response.status_code == 200
    rows = [
        (row["post"], row["network"], row["click_total"], len(row["links"]))
        for row in response.context["rows"]
    ]
    assert rows[:2] == [(post, "x", 7, 2), (post, "bluesky", 2, 1)]
    assert response.context["total_clicks"] == 9
    body = response.content.decode()
    assert "ສະບາຍດີ spring launch" in body and "Bluesky" in body
    assert "Other01" not in body

    filtered = client.get(_ws(tenants) + "links/", {"network": "bluesky", "post": post.pk})
    assert [row["network"] for row in filtered.context["rows"]] == ["bluesky"]
    odd = client.get(_ws(tenants) + "links/", {"network": "\x00", "post": "-1", "page": "x"})
    assert odd.status_code == 200


def test_clicks_recorded_through_the_redirect_show_in_the_report(client, tenants):
    client.get(
        f"/l/{tenants.short_link.code}",
        HTTP_USER_AGENT="Mozilla/5.0 (X11; Linux x86_64) Firefox/130.0",
    )
    assert LinkClick.objects.filter(link=tenants.short_link).count() == 1
    client.force_login(tenants.users["owner"])
    response = client.get(_ws(tenants) + "links/")
    assert response.context["total_clicks"] == 1
