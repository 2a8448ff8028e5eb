"""Members and their roles over the API."""

from chorus.orgs.models import Membership, WorkspaceRole


def _membership(tenants, role):
    return tenants.users[role].memberships.get()


def test_it_lists_members_with_their_workspace_roles(tenants, as_role):
    WorkspaceRole.objects.create(
        membership=_membership(tenants, "editor"), workspace=tenants.workspace, role="manager"
    )
    items = as_role("analyst").get(f"/orgs/{tenants.org.pk}/members").json()["items"]
    assert [m["user"]["email"] for m in items] == sorted(m["user"]["email"] for m in items)
    editor = next(m for m in items if m["user"]["email"] == "editor@acme.test")
    assert editor["workspace_roles"] == [
        {
            "membership_id": editor["id"],
            "workspace_id": tenants.workspace.pk,
            "role": "manager",
        }
    ]


def test_it_changes_a_role(tenants, as_role):
    target = _membership(tenants, "analyst")
    response = as_role("admin").patch(f"/members/{target.pk}", {"role": "editor"})
    assert response.status_code == 200
    assert response.json()["role"] == "editor"


def test_it_refuses_an_unknown_role(tenants, owner):
    target = _membership(tenants, "analyst")
    response = owner.patch(f"/members/{target.pk}", {"role": "emperor"})
    assert response.status_code == 422
    assert "role" in response.json()["errors"]


def test_only_an_owner_grants_ownership(tenants, as_role):
    target = _membership(tenants, "analyst")
    response = as_role("admin").patch(f"/members/{target.pk}", {"role": "owner"})
    assert response.status_code == 403
    target.refresh_from_db()
    assert target.role == "analyst"


def test_the_last_owner_stays_an_owner(tenants, owner):
    mine = _membership(tenants, "owner")
    response = owner.patch(f"/members/{mine.pk}", {"role": "admin"})
    assert response.status_code == 422
    assert "at least one owner" in response.json()["detail"]
    response = owner.delete(f"/members/{mine.pk}")
    assert response.status_code == 422
    assert "at least one owner" in response.json()["errors"]["role"][0]
    mine.refresh_from_db()
    assert mine.role == "owner"


def test_it_removes_a_member(tenants, owner):
    target = _membership(tenants, "agent")
    assert owner.delete(f"/members/{target.pk}").status_code == 204
    assert not Membership.objects.filter(pk=target.pk).exists()


def test_it_sets_and_clears_a_workspace_role(tenants, owner):
    target = _membership(tenants, "analyst")
    url = f"/members/{target.pk}/workspaces/{tenants.workspace.pk}"
    response = owner.put(url, {"role": "manager"})
    assert response.status_code == 200
    assert response.json()["role"] == "manager"
    response = owner.put(url, {"role": "editor"})
    assert WorkspaceRole.objects.get(membership=target).role == "editor"
    assert owner.delete(url).status_code == 204
    assert not WorkspaceRole.objects.filter(membership=target).exists()


def test_it_refuses_a_workspace_role_that_would_change_nothing_or_grant_ownership(tenants, owner):
    mine = _membership(tenants, "owner")
    response = owner.put(f"/members/{mine.pk}/workspaces/{tenants.workspace.pk}", {"role": "agent"})
    assert response.status_code == 422
    target = _membership(tenants, "analyst")
    response = owner.put(
        f"/members/{target.pk}/workspaces/{tenants.workspace.pk}", {"role": "owner"}
    )
    assert response.status_code == 422
    assert not WorkspaceRole.objects.exists()


def test_it_hides_another_organisations_members(tenants, owner):
    theirs = tenants.other_owner.memberships.get()
    assert owner.get(f"/orgs/{tenants.other_org.pk}/members").status_code == 404
    assert owner.patch(f"/members/{theirs.pk}", {"role": "agent"}).status_code == 404
    assert owner.delete(f"/members/{theirs.pk}").status_code == 404
    target = _membership(tenants, "analyst")
    mixed = f"/members/{target.pk}/workspaces/{tenants.other_workspace.pk}"
    assert owner.put(mixed, {"role": "editor"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.role == "owner"
    assert not WorkspaceRole.objects.exists()
