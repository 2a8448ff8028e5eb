"""The calendar page: its settings for FullCalendar, its filters, the workspace switch."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.test import Client

from chorus.orgs.models import Membership, WorkspaceRole
from chorus.orgs.roles import Role
from chorus.publishing.models import Campaign, Tag

pytestmark = pytest.mark.django_db


def _client(tenants: Any, role: str = "analyst", zone: str = "Asia/Vientiane") -> Client:
    user = tenants.users[role]
    user.time_zone = zone
    user.save(update_fields=["time_zone"])
    client = Client()
    client.force_login(user)
    return client


def _url(workspace: Any) -> str:
    return f"/o/{workspace.organisation.slug}/w/{workspace.slug}/calendar/"


def _config(response: Any) -> dict[str, Any]:
    found = re.search(
        r'<script id="calendar-config" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    assert found, response.content[:500]
    return json.loads(found.group(1))


def test_it_sets_up_fullcalendar_in_the_viewers_zone(tenants):
    response = _client(tenants).get(_url(tenants.workspace))
    assert response.status_code == 200
    config = _config(response)
    assert config["timeZone"] == "Asia/Vientiane"
    assert config["feedUrl"] == _url(tenants.workspace) + "events/"
    assert config["initialView"] == "dayGridMonth"
    assert config["initialDate"] is None
    assert config["locale"] == "en"
    assert config["text"]["today"] == "Today"
    page = response.content.decode()
    assert "Times are shown in Asia/Vientiane." in page
    for bundle in ("core", "interaction", "daygrid", "timegrid", "list"):
        assert f"/static/fullcalendar/{bundle}.min.js" in page
    assert "/static/publishing/calendar.js" in page


def test_it_opens_on_the_view_and_day_in_its_address(tenants):
    response = _client(tenants).get(_url(tenants.workspace), {"view": "week", "date": "2030-03-31"})
    config = _config(response)
    assert (config["initialView"], config["initialDate"]) == ("timeGridWeek", "2030-03-31")


def test_its_words_follow_the_language(tenants):
    client = _client(tenants)
    client.cookies["django_language"] = "lo"
    config = _config(client.get(_url(tenants.workspace), HTTP_ACCEPT_LANGUAGE="lo"))
    assert config["locale"] == "lo"


def test_the_filters_offer_this_workspaces_accounts_campaigns_tags_and_states(tenants):
    Campaign.objects.create(workspace=tenants.workspace, name="Spring")
    tag = Tag.objects.create(workspace=tenants.workspace, name="launch")
    Tag.objects.create(workspace=tenants.other_workspace, name="globex-secret")
    response = _client(tenants).get(
        _url(tenants.workspace), {"tag": tag.pk, "state": ["failed", "draft"]}
    )
    page = response.content.decode()
    assert "@acme (Mastodon)" in page
    assert ">Spring<" in page
    assert f'<option value="{tag.pk}" selected>launch</option>' in page
    assert "Globex" not in page and "globex" not in page
    assert 'value="failed" checked' in page and 'value="draft" checked' in page
    assert 'value="scheduled">' in page
    for label in ("Draft", "In review", "Scheduled", "Published", "Failed", "Cancelled"):
        assert label in page


def test_a_bad_filter_opens_the_page_unfiltered_and_says_why(tenants):
    response = _client(tenants).get(_url(tenants.workspace), {"state": "sent"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "“sent” is not a post state." in page
    assert 'id="calendar"' in page
    response = _client(tenants).get(_url(tenants.workspace), {"view": "year"})
    assert response.status_code == 400
    assert "Choose one of these views: month, week, list." in response.content.decode()


def test_the_workspace_switch_lists_and_opens_the_workspaces_the_person_may_see(tenants):
    second = tenants.org.workspaces.create(name="Acme Two")
    hidden = tenants.org.workspaces.create(name="Acme Hidden")
    membership = Membership.objects.get(user=tenants.users["analyst"], organisation=tenants.org)
    WorkspaceRole.objects.create(membership=membership, workspace=hidden, role=Role.AGENT)
    client = _client(tenants)
    page = client.get(_url(tenants.workspace)).content.decode()
    assert f'<option value="{second.slug}">Acme Two</option>' in page
    # (The header still lists it: an agent there may open the workspace, not its posts.)
    assert f'<option value="{hidden.slug}"' not in page

    response = client.get(
        _url(tenants.workspace), {"workspace": second.slug, "state": "draft", "view": "week"}
    )
    assert response.status_code == 302
    assert response["Location"] == _url(second) + "?state=draft&view=week"
    # A workspace the person may not open, or another organisation's, is not found.
    assert client.get(_url(tenants.workspace), {"workspace": hidden.slug}).status_code == 404
    other = tenants.other_workspace.slug
    assert client.get(_url(tenants.workspace), {"workspace": other}).status_code == 404
    # Choosing the workspace already open just shows it.
    assert (
        client.get(_url(tenants.workspace), {"workspace": tenants.workspace.slug}).status_code
        == 200
    )


def test_roles_without_post_view_are_refused_and_strangers_see_nothing(tenants):
    assert _client(tenants, "agent").get(_url(tenants.workspace)).status_code == 403
    response = _client(tenants, "owner").get(_url(tenants.other_workspace))
    assert response.status_code == 404
    assert b"Globex" not in response.content


def test_the_workspace_page_links_to_the_calendar_for_those_who_may_see_it(tenants):
    workspace_url = f"/o/{tenants.org.slug}/w/{tenants.workspace.slug}/"
    link = f'href="{_url(tenants.workspace)}"'
    assert link in _client(tenants, "editor").get(workspace_url).content.decode()
    assert link not in _client(tenants, "agent").get(workspace_url).content.decode()
