"""Invitations over the API; the link itself only goes out by e-mail."""

from django.core import mail

from chorus.orgs.models import Invitation


def test_it_invites_by_email(tenants, as_role):
    admin = as_role("admin")
    response = admin.post(
        f"/orgs/{tenants.org.pk}/invitations",
        {"email": " New.Hire@Example.TEST ", "role": "editor"},
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["email"], body["role"], body["state"]) == (
        "new.hire@example.test",
        "editor",
        "pending",
    )
    assert body["invited_by"] == "admin@acme.test"
    assert not any(key in body for key in ("token", "token_hash", "link"))


def test_it_sends_the_link_once_committed(tenants, as_role, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        as_role("owner").post(
            f"/orgs/{tenants.org.pk}/invitations", {"email": "sam@example.test", "role": "agent"}
        )
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["sam@example.test"]
    assert "/invite/" in mail.outbox[0].body


def test_it_refuses_an_invalid_address(tenants, owner):
    response = owner.post(
        f"/orgs/{tenants.org.pk}/invitations", {"email": "not-an-address", "role": "editor"}
    )
    assert response.status_code == 422
    assert "not a valid e-mail address" in response.json()["errors"]["email"][0]
    assert not Invitation.objects.filter(email="not-an-address").exists()


def test_it_refuses_an_address_too_long_to_store(tenants, owner):
    email = "a" * 64 + "@" + ("b" * 60 + ".") * 4 + "test"
    assert 254 < len(email) < 320
    response = owner.post(f"/orgs/{tenants.org.pk}/invitations", {"email": email, "role": "agent"})
    assert response.status_code == 422
    assert "email" in response.json()["errors"]


def test_it_refuses_inviting_a_member(tenants, owner):
    response = owner.post(
        f"/orgs/{tenants.org.pk}/invitations", {"email": "editor@acme.test", "role": "editor"}
    )
    assert response.status_code == 422
    assert "already a member" in response.json()["detail"]


def test_only_an_owner_invites_an_owner(tenants, as_role):
    response = as_role("admin").post(
        f"/orgs/{tenants.org.pk}/invitations", {"email": "boss@example.test", "role": "owner"}
    )
    assert response.status_code == 403
    assert not Invitation.objects.filter(email="boss@example.test").exists()


def test_it_lists_and_filters_by_state(tenants, owner):
    url = f"/orgs/{tenants.org.pk}/invitations"
    owner.post(url, {"email": "one@example.test", "role": "editor"})
    owner.delete(f"/invitations/{tenants.invitation.pk}")
    everything = owner.get(url).json()
    assert [i["email"] for i in everything["items"]] == ["one@example.test", "invitee@acme.test"]
    assert [i["email"] for i in owner.get(url, state="revoked").json()["items"]] == [
        "invitee@acme.test"
    ]
    assert [i["email"] for i in owner.get(url, state="pending").json()["items"]] == [
        "one@example.test"
    ]
    assert owner.get(url, state="lost").status_code == 422


def test_a_read_only_token_lists_invitations_but_only_for_inviters(tenants, as_role):
    url = f"/orgs/{tenants.org.pk}/invitations"
    assert as_role("admin", ("read",)).get(url).status_code == 200
    assert as_role("editor", ("read",)).get(url).status_code == 403


def test_it_revokes_only_pending_invitations(tenants, owner):
    url = f"/invitations/{tenants.invitation.pk}"
    assert owner.delete(url).status_code == 204
    tenants.invitation.refresh_from_db()
    assert tenants.invitation.state == "revoked"
    response = owner.delete(url)
    assert response.status_code == 422
    assert "already revoked" in response.json()["detail"]


def test_it_hides_another_organisations_invitations(tenants, owner):
    assert owner.get(f"/orgs/{tenants.other_org.pk}/invitations").status_code == 404
    assert owner.delete(f"/invitations/{tenants.other_invitation.pk}").status_code == 404
    tenants.other_invitation.refresh_from_db()
    assert tenants.other_invitation.state == "pending"
