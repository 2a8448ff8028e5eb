"""Workspaces over the API."""

from chorus.orgs.models import Workspace, WorkspaceRole


def _membership(tenants, role):
    return tenants.users[role].memberships.get()


def test_it_lists_only_the_workspaces_the_caller_may_see(tenants, as_role):
    hidden = Workspace.objects.create(organisation=tenants.org, name="Secret Client")
    WorkspaceRole.objects.create(
        membership=_membership(tenants, "analyst"), workspace=hidden, role="external_approver"
    )
    url = f"/orgs/{tenants.org.pk}/workspaces"
    assert [w["name"] for w in as_role("owner").get(url).json()["items"]] == [
        "Acme Brand",
        "Secret Client",
    ]
    assert [w["name"] for w in as_role("analyst").get(url).json()["items"]] == ["Acme Brand"]


def test_a_workspace_role_shows_a_workspace_to_an_outside_approver(tenants, as_role):
    approver = as_role("external_approver")
    url = f"/orgs/{tenants.org.pk}/workspaces"
    assert approver.get(url).status_code == 403
    WorkspaceRole.objects.create(
        membership=_membership(tenants, "external_approver"),
        workspace=tenants.workspace,
        role="editor",
    )
    assert [w["name"] for w in approver.get(url).json()["items"]] == ["Acme Brand"]


def test_it_creates_a_workspace(owner, tenants):
    response = owner.post(
        f"/orgs/{tenants.org.pk}/workspaces",
        {"name": "Lao Client", "kind": "client", "time_zone": "Asia/Vientiane"},
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["kind"], body["time_zone"], body["organisation_id"]) == (
        "client",
        "Asia/Vientiane",
        tenants.org.pk,
    )


def test_it_refuses_a_bad_time_zone_and_creates_nothing(owner, tenants):
    response = owner.post(
        f"/orgs/{tenants.org.pk}/workspaces", {"name": "Nowhere", "time_zone": "Asia/Atlantis"}
    )
    assert response.status_code == 422
    assert "time_zone" in response.json()["errors"]
    assert not Workspace.objects.filter(name="Nowhere").exists()


def test_it_changes_only_the_fields_sent(owner, tenants):
    url = f"/workspaces/{tenants.workspace.pk}"
    response = owner.patch(url, {"time_zone": "Europe/Berlin"})
    assert response.status_code == 200
    assert (response.json()["name"], response.json()["time_zone"]) == (
        "Acme Brand",
        "Europe/Berlin",
    )


def test_a_refused_change_writes_nothing(owner, tenants):
    url = f"/workspaces/{tenants.workspace.pk}"
    response = owner.patch(url, {"name": "Renamed", "time_zone": "Nowhere/Nothing"})
    assert response.status_code == 422
    tenants.workspace.refresh_from_db()
    assert (tenants.workspace.name, tenants.workspace.time_zone) == ("Acme Brand", "UTC")


def test_a_manager_edits_but_does_not_delete(tenants, as_role):
    manager = as_role("manager")
    url = f"/workspaces/{tenants.workspace.pk}"
    assert manager.patch(url, {"name": "Acme Brand II"}).status_code == 200
    response = manager.delete(url)
    assert response.status_code == 403
    assert "Manager" in response.json()["detail"]
    assert as_role("admin").delete(url).status_code == 204
    assert not Workspace.objects.filter(pk=tenants.workspace.pk).exists()


def test_it_hides_another_organisations_workspaces(owner, tenants):
    assert owner.get(f"/workspaces/{tenants.other_workspace.pk}").status_code == 404
    assert owner.get(f"/orgs/{tenants.other_org.pk}/workspaces").status_code == 404
    response = owner.post(f"/orgs/{tenants.other_org.pk}/workspaces", {"name": "Sneaky"})
    assert response.status_code == 404
    assert not Workspace.objects.filter(name="Sneaky").exists()
