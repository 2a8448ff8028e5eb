"""The members page: roles, removal, workspace roles and invitations."""

from __future__ import annotations

from chorus.orgs.models import Invitation, Membership, WorkspaceRole


def _membership(tenants, role: str) -> Membership:
    return Membership.objects.get(user=tenants.users[role], organisation=tenants.org)


def test_it_lists_members_with_their_roles(client, tenants):
    client.force_login(tenants.users["analyst"])
    response = client.get(f"/o/{tenants.org.slug}/members/")
    assert response.status_code == 200
    for role in tenants.users:
        assert f"{role}@acme.test" in response.text
    # An analyst sees the list but no controls and no invitations.
    assert "/role/" not in response.text
    assert 'id="invitations"' not in response.text


def test_it_changes_a_role(client, tenants):
    client.force_login(tenants.users["admin"])
    editor = _membership(tenants, "editor")
    response = client.post(f"/o/{tenants.org.slug}/members/{editor.pk}/role/", {"role": "manager"})
    assert response.status_code == 302
    editor.refresh_from_db()
    assert editor.role == "manager"
    page = client.get(response["Location"])
    assert "is now Manager" in page.text


def test_it_changes_a_role_inline_with_htmx(client, tenants):
    client.force_login(tenants.users["owner"])
    editor = _membership(tenants, "editor")
    response = client.post(
        f"/o/{tenants.org.slug}/members/{editor.pk}/role/",
        {"role": "analyst"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert response.text.startswith(f'<tr id="member-{editor.pk}">')
    assert "Role changed to Analyst." in response.text
    editor.refresh_from_db()
    assert editor.role == "analyst"


def test_it_refuses_an_unknown_role_clearly(client, tenants):
    client.force_login(tenants.users["owner"])
    editor = _membership(tenants, "editor")
    response = client.post(f"/o/{tenants.org.slug}/members/{editor.pk}/role/", {"role": "emperor"})
    assert response.status_code == 400
    assert "Choose one of the listed roles." in response.text


def test_an_admin_cannot_touch_an_owner(client, tenants):
    client.force_login(tenants.users["admin"])
    owner = _membership(tenants, "owner")
    response = client.post(f"/o/{tenants.org.slug}/members/{owner.pk}/role/", {"role": "editor"})
    assert response.status_code == 403
    assert "Only an owner can grant or take away the owner role." in response.text
    owner.refresh_from_db()
    assert owner.role == "owner"


def test_the_last_owner_cannot_leave_or_be_demoted(client, tenants):
    client.force_login(tenants.users["owner"])
    owner = _membership(tenants, "owner")
    response = client.post(f"/o/{tenants.org.slug}/members/{owner.pk}/remove/")
    assert response.status_code == 400
    assert "An organisation needs at least one owner" in response.text
    response = client.post(
        f"/o/{tenants.org.slug}/members/{owner.pk}/role/", {"role": "admin"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 422
    assert "An organisation needs at least one owner" in response.text
    assert Membership.objects.filter(pk=owner.pk, role="owner").exists()


def test_it_removes_a_member_after_confirmation(client, tenants):
    client.force_login(tenants.users["admin"])
    agent = _membership(tenants, "agent")
    url = f"/o/{tenants.org.slug}/members/{agent.pk}/remove/"
    confirm = client.get(url)
    assert confirm.status_code == 200
    assert "Remove agent@acme.test from Acme?" in confirm.text
    assert Membership.objects.filter(pk=agent.pk).exists(), "asking does not remove"
    response = client.post(url)
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=agent.pk).exists()


def test_it_removes_a_row_with_htmx(client, tenants):
    client.force_login(tenants.users["owner"])
    agent = _membership(tenants, "agent")
    response = client.post(
        f"/o/{tenants.org.slug}/members/{agent.pk}/remove/", HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "agent@acme.test was removed." in response.text


def test_a_member_of_another_organisation_is_not_found(client, tenants):
    client.force_login(tenants.users["owner"])
    theirs = Membership.objects.get(user=tenants.other_owner)
    response = client.post(f"/o/{tenants.org.slug}/members/{theirs.pk}/remove/")
    assert response.status_code == 404
    assert Membership.objects.filter(pk=theirs.pk).exists()


def test_it_narrows_and_widens_a_role_per_workspace(client, tenants):
    client.force_login(tenants.users["admin"])
    editor = _membership(tenants, "editor")
    url = f"/o/{tenants.org.slug}/members/{editor.pk}/workspaces/"
    page = client.get(url)
    assert page.status_code == 200 and "Acme Brand" in page.text
    response = client.post(url, {"workspace": tenants.workspace.pk, "role": "manager"})
    assert response.status_code == 302
    assert WorkspaceRole.objects.get(membership=editor).role == "manager"
    members_page = client.get(f"/o/{tenants.org.slug}/members/")
    assert "Acme Brand: Manager" in members_page.text
    # With htmx, clearing the override answers with the updated row.
    response = client.post(
        url, {"workspace": tenants.workspace.pk, "role": ""}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "Saved." in response.text
    assert not WorkspaceRole.objects.filter(membership=editor).exists()


def test_it_refuses_a_workspace_of_another_organisation(client, tenants):
    client.force_login(tenants.users["admin"])
    editor = _membership(tenants, "editor")
    response = client.post(
        f"/o/{tenants.org.slug}/members/{editor.pk}/workspaces/",
        {"workspace": tenants.other_workspace.pk, "role": "manager"},
    )
    assert response.status_code == 400
    assert "Globex" not in response.text
    assert not WorkspaceRole.objects.exists()


def test_it_explains_that_owners_need_no_workspace_role(client, tenants):
    client.force_login(tenants.users["owner"])
    owner = _membership(tenants, "owner")
    response = client.post(
        f"/o/{tenants.org.slug}/members/{owner.pk}/workspaces/",
        {"workspace": tenants.workspace.pk, "role": "agent"},
    )
    assert response.status_code == 400
    assert "Owners" in response.text
    assert not WorkspaceRole.objects.exists()


def test_it_revokes_an_invitation(client, tenants):
    client.force_login(tenants.users["admin"])
    url = f"/o/{tenants.org.slug}/invitations/{tenants.invitation.pk}/revoke/"
    response = client.post(url)
    assert response.status_code == 302
    tenants.invitation.refresh_from_db()
    assert tenants.invitation.state == "revoked"
    # Revoking again is explained, not an error page.
    response = client.post(url)
    assert response.status_code == 400
    assert "already revoked" in response.text


def test_it_revokes_an_invitation_without_reload(client, tenants):
    client.force_login(tenants.users["owner"])
    response = client.post(
        f"/o/{tenants.org.slug}/invitations/{tenants.invitation.pk}/revoke/", HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert response.text.startswith(f'<tr id="invitation-{tenants.invitation.pk}">')
    assert "Revoked" in response.text


def test_it_lists_invitations_with_their_state(client, tenants):
    client.force_login(tenants.users["owner"])
    response = client.get(f"/o/{tenants.org.slug}/members/")
    assert "invitee@acme.test" in response.text
    assert "Pending" in response.text
    assert "invitee@globex.test" not in response.text


def test_another_organisations_invitation_cannot_be_revoked_through_mine(client, tenants):
    client.force_login(tenants.users["owner"])
    response = client.post(
        f"/o/{tenants.org.slug}/invitations/{tenants.other_invitation.pk}/revoke/"
    )
    assert response.status_code == 404
    assert Invitation.objects.get(pk=tenants.other_invitation.pk).state == "pending"
