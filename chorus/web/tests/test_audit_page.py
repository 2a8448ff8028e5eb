"""The audit log page: the organisation's events with their changes, nobody else's."""

from __future__ import annotations

from chorus.audit.chain import record
from chorus.orgs import services


def test_it_lists_the_organisations_events_with_their_changes(client, tenants):
    owner = tenants.users["owner"]
    services.update_workspace(owner, tenants.workspace, name="Acme Renamed")
    client.force_login(tenants.users["admin"])
    page = client.get(f"/o/{tenants.org.slug}/audit/")
    assert page.status_code == 200
    assert "orgs.workspace.update" in page.text
    assert "Acme Brand" in page.text and "Acme Renamed" in page.text
    assert "Globex" not in page.text


def test_it_filters_by_action_and_person(client, tenants):
    services.update_workspace(tenants.users["owner"], tenants.workspace, name="Changed")
    client.force_login(tenants.users["owner"])
    page = client.get(f"/o/{tenants.org.slug}/audit/?action=orgs.workspace.update")
    assert "orgs.workspace.update" in page.text
    assert "orgs.membership.create" not in page.text.split("<tbody>", 1)[1]
    page = client.get(f"/o/{tenants.org.slug}/audit/?actor=nobody-like-this")
    assert "No events match this filter." in page.text


def test_it_pages_through_many_events(client, tenants):
    for n in range(60):
        record("test.event", object_type="test", object_id=n, organisation_id=tenants.org.pk)
    client.force_login(tenants.users["owner"])
    first = client.get(f"/o/{tenants.org.slug}/audit/?action=test.event")
    assert "Page 1 of 2" in first.text
    assert "action=test.event&amp;page=2" in first.text
    second = client.get(f"/o/{tenants.org.slug}/audit/?action=test.event&page=2")
    assert "Page 2 of 2" in second.text


def test_it_shows_the_request_id_of_web_changes(client, tenants):
    client.force_login(tenants.users["owner"])
    client.post(
        f"/o/{tenants.org.slug}/settings/", {"name": "Acme Two"}, HTTP_X_REQUEST_ID="req-12345"
    )
    page = client.get(f"/o/{tenants.org.slug}/audit/")
    assert "req-12345" in page.text


def test_only_owners_and_admins_read_it(client, tenants):
    client.force_login(tenants.users["manager"])
    assert client.get(f"/o/{tenants.org.slug}/audit/").status_code == 403
