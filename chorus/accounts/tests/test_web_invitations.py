"""Inviting people from the members page and accepting the e-mailed link."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from chorus.accounts.models import User
from chorus.orgs import services
from chorus.orgs.models import Invitation, Membership


def _invite(client, tenants, capture, email="new.person@example.test", role="editor"):
    client.force_login(tenants.users["admin"])
    with capture(execute=True):
        response = client.post(
            f"/o/{tenants.org.slug}/invitations/", {"email": email, "role": role}
        )
    client.logout()
    return response


def _link_path(message) -> str:
    match = re.search(r"https?://[^/\s]+(/invite/[^/\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


@pytest.fixture
def capture(django_capture_on_commit_callbacks):
    return django_capture_on_commit_callbacks


def test_it_emails_the_invitation_link(client, tenants, capture):
    response = _invite(client, tenants, capture)
    assert response.status_code == 302
    assert response["Location"] == f"/o/{tenants.org.slug}/members/#invitations"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new.person@example.test"]
    assert "Acme" in mail.outbox[0].subject
    assert Invitation.objects.get(email="new.person@example.test").state == "pending"


def test_it_shows_a_bad_invitation_address_on_the_form(client, tenants):
    client.force_login(tenants.users["admin"])
    response = client.post(
        f"/o/{tenants.org.slug}/invitations/", {"email": "not-an-address", "role": "editor"}
    )
    assert response.status_code == 400
    assert "Enter a valid email address." in response.text
    assert not Invitation.objects.filter(email="not-an-address").exists()


def test_it_refuses_to_invite_an_existing_member(client, tenants):
    client.force_login(tenants.users["admin"])
    response = client.post(
        f"/o/{tenants.org.slug}/invitations/", {"email": "editor@acme.test", "role": "editor"}
    )
    assert response.status_code == 400
    assert "editor@acme.test is already a member." in response.text


def test_it_answers_htmx_with_the_updated_invitations(client, tenants, capture):
    client.force_login(tenants.users["owner"])
    with capture(execute=True):
        response = client.post(
            f"/o/{tenants.org.slug}/invitations/",
            {"email": "x@example.test", "role": "analyst"},
            HTTP_HX_REQUEST="true",
        )
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section id="invitations"')
    assert "Invitation sent to x@example.test" in response.text
    assert "<html" not in response.text


def test_a_new_person_accepts_with_a_name_and_password(client, tenants, capture):
    _invite(client, tenants, capture)
    path = _link_path(mail.outbox[0])
    page = client.get(path)
    assert page.status_code == 200
    assert "Join Acme on Chorus" in page.text
    response = client.post(
        path,
        {
            "full_name": "New Person",
            "password": "a-Good-long-secret-5",
            "password_again": "a-Good-long-secret-5",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"/o/{tenants.org.slug}/"
    user = User.objects.get(email="new.person@example.test")
    assert user.full_name == "New Person"
    assert Membership.objects.get(user=user).role == "editor"
    assert client.get("/").status_code == 200, "the new person is logged in"
    assert Invitation.objects.get(email="new.person@example.test").state == "accepted"


def test_it_applies_the_password_rules(client, tenants, capture):
    _invite(client, tenants, capture)
    path = _link_path(mail.outbox[0])
    response = client.post(
        path, {"full_name": "New Person", "password": "12345", "password_again": "12345"}
    )
    assert response.status_code == 400
    assert "This password is too short" in response.text
    assert not User.objects.filter(email="new.person@example.test").exists()


def test_it_asks_for_the_same_password_twice(client, tenants, capture):
    _invite(client, tenants, capture)
    response = client.post(
        _link_path(mail.outbox[0]),
        {"full_name": "N", "password": "a-Good-long-secret-5", "password_again": "other"},
    )
    assert response.status_code == 400
    assert "The two passwords differ" in response.text


def test_a_logged_in_person_with_the_address_just_accepts(client, tenants, capture):
    somebody = User.objects.create_user("new.person@example.test", "pw-for-tests-1")
    _invite(client, tenants, capture)
    path = _link_path(mail.outbox[0])
    client.force_login(somebody)
    page = client.get(path)
    assert "Join Acme" in page.text
    response = client.post(path)
    assert response["Location"] == f"/o/{tenants.org.slug}/"
    assert Membership.objects.get(user=somebody).role == "editor"


def test_an_existing_account_is_asked_to_log_in(client, tenants, capture):
    User.objects.create_user("new.person@example.test", "pw-for-tests-1")
    _invite(client, tenants, capture)
    page = client.get(_link_path(mail.outbox[0]))
    assert "Log in to accept" in page.text
    assert "/login/?next=/invite/" in page.text


def test_someone_logged_in_as_another_person_is_told_so(client, tenants, capture):
    _invite(client, tenants, capture)
    path = _link_path(mail.outbox[0])
    client.force_login(tenants.users["analyst"])
    response = client.post(path)
    assert response.status_code == 409
    assert "but the invitation is for new.person@example.test" in response.text
    assert Invitation.objects.get(email="new.person@example.test").state == "pending"


def test_an_expired_invitation_says_when_it_expired(client, tenants):
    invitation, raw = services.invite(
        tenants.users["owner"], tenants.org, email="late@example.test", role="editor"
    )
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(days=1)
    )
    response = client.get(f"/invite/{raw}/")
    assert response.status_code == 410
    assert "This invitation expired on" in response.text
    assert "Ask Acme for a new one." in response.text


def test_a_revoked_invitation_says_so(client, tenants):
    invitation, raw = services.invite(
        tenants.users["owner"], tenants.org, email="gone@example.test", role="editor"
    )
    services.revoke_invitation(tenants.users["owner"], invitation)
    response = client.get(f"/invite/{raw}/")
    assert response.status_code == 410
    assert "This invitation was already revoked." in response.text
    response = client.post(
        f"/invite/{raw}/",
        {
            "full_name": "X",
            "password": "a-Good-long-secret-5",
            "password_again": "a-Good-long-secret-5",
        },
    )
    assert response.status_code == 410
    assert not User.objects.filter(email="gone@example.test").exists()


def test_a_used_invitation_says_so(client, tenants):
    _invitation, raw = services.invite(
        tenants.users["owner"], tenants.org, email="once@example.test", role="editor"
    )
    services.accept_invitation(raw, password="a-Good-long-secret-5", full_name="Once")
    response = client.get(f"/invite/{raw}/")
    assert response.status_code == 410
    assert "This invitation was already accepted." in response.text


def test_an_unknown_link_says_it_is_not_valid(client, db):
    response = client.get("/invite/no-such-token/")
    assert response.status_code == 404
    assert "This invitation link is not valid." in response.text
