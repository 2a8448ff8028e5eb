"""Connected social accounts over the API: never their credentials."""

from chorus.orgs.models import SocialAccount, WorkspaceRole


def test_it_lists_accounts_without_credentials(tenants, as_role):
    response = as_role("analyst").get(f"/workspaces/{tenants.workspace.pk}/accounts")
    assert response.status_code == 200
    items = response.json()["items"]
    assert [(a["network"], a["handle"], a["status"]) for a in items] == [
        ("mastodon", "@acme", "active")
    ]
    assert b"acme-secret" not in response.content
    assert "credentials" not in items[0]


def test_it_filters_by_status(tenants, owner):
    url = f"/workspaces/{tenants.workspace.pk}/accounts"
    assert owner.get(url, status="disconnected").json()["count"] == 0
    assert owner.get(url, status="active").json()["count"] == 1
    assert owner.get(url, status="asleep").status_code == 422


def test_it_shows_one_account(tenants, owner):
    response = owner.get(f"/accounts/{tenants.account.pk}")
    assert response.status_code == 200
    assert response.json()["remote_id"] == "1001"
    assert b"acme-secret" not in response.content


def test_disconnecting_forgets_the_credentials(tenants, as_role):
    assert as_role("editor").delete(f"/accounts/{tenants.account.pk}").status_code == 403
    assert as_role("manager").delete(f"/accounts/{tenants.account.pk}").status_code == 204
    account = SocialAccount.objects.get(pk=tenants.account.pk)
    assert account.status == "disconnected"
    assert account.credentials is None


def test_a_workspace_role_decides_in_that_workspace(tenants, as_role):
    WorkspaceRole.objects.create(
        membership=tenants.users["agent"].memberships.get(),
        workspace=tenants.workspace,
        role="manager",
    )
    assert as_role("agent").delete(f"/accounts/{tenants.account.pk}").status_code == 204


def test_it_hides_another_organisations_accounts(tenants, owner):
    assert owner.get(f"/workspaces/{tenants.other_workspace.pk}/accounts").status_code == 404
    assert owner.get(f"/accounts/{tenants.other_account.pk}").status_code == 404
    assert owner.delete(f"/accounts/{tenants.other_account.pk}").status_code == 404
    tenants.other_account.refresh_from_db()
    assert tenants.other_account.credentials == {"access_token": "globex-secret"}
