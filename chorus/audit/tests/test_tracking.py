"""Tracked models leave an audit event for every create, update and delete."""

from __future__ import annotations

import pytest

from chorus.accounts.models import User
from chorus.audit import context
from chorus.audit.models import AuditEvent
from chorus.orgs.models import Organisation, SocialAccount, Workspace


def events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action))


@pytest.fixture
def user(db) -> User:  # type: ignore[no-untyped-def]
    return User.objects.create_user("ana@acme.test", "pw-for-tests-1")


@pytest.mark.urls("chorus.audit.tests.urls")
def test_it_records_changes_made_in_a_request_with_actor_and_request_id(client, user):
    client.force_login(user)

    created = client.post("/t/orgs/", {"name": "Acme"})
    pk = created.json()["id"]
    [event] = events("orgs.organisation.create")
    assert event.actor_id == user.pk
    assert event.actor_label == "ana@acme.test"
    assert event.object_type == "orgs.organisation"
    assert event.object_id == str(pk)
    assert event.organisation_id == pk
    assert event.before is None
    assert event.after["name"] == "Acme"
    assert event.request_id == created["X-Request-ID"]
    assert len(event.request_id) == 32

    renamed = client.post(
        f"/t/orgs/{pk}/rename", {"name": "Acme Corp"}, HTTP_X_REQUEST_ID="proxy-req-7"
    )
    [event] = events("orgs.organisation.update")
    assert event.before == {"name": "Acme"}
    assert event.after == {"name": "Acme Corp"}
    assert event.request_id == "proxy-req-7" == renamed["X-Request-ID"]
    assert event.actor_id == user.pk

    deleted = client.post(f"/t/orgs/{pk}/delete")
    [event] = events("orgs.organisation.delete")
    assert event.before["name"] == "Acme Corp"
    assert event.after is None
    assert event.request_id == deleted["X-Request-ID"]
    assert event.actor_id == user.pk


def test_it_records_system_changes_without_actor_or_request(db):
    org = Organisation.objects.create(name="Acme")
    [event] = events("orgs.organisation.create")
    assert event.actor_id is None
    assert event.actor_label == "system"
    assert event.request_id == ""
    assert event.object_id == str(org.pk)


def test_it_uses_an_explicit_actor(user):
    token = context.current_actor.set(user)
    try:
        Organisation.objects.create(name="Acme")
    finally:
        context.current_actor.reset(token)
    assert events("orgs.organisation.create")[0].actor_id == user.pk


def test_it_records_nothing_for_a_save_that_changes_nothing(db):
    org = Organisation.objects.create(name="Acme")
    org.save()
    assert events("orgs.organisation.update") == []


def test_it_ties_workspace_events_to_their_organisation(db):
    org = Organisation.objects.create(name="Acme")
    workspace = Workspace.objects.create(organisation=org, name="Brand")
    [event] = events("orgs.workspace.create")
    assert event.organisation_id == org.pk
    assert event.object_id == str(workspace.pk)


def test_it_redacts_secrets(user):
    org = Organisation.objects.create(name="Acme")
    workspace = Workspace.objects.create(organisation=org, name="Brand")
    account = SocialAccount.objects.create(
        workspace=workspace,
        network="x",
        remote_id="1",
        handle="@a",
        credentials={"access_token": "tok-1"},
    )
    account.credentials = {"access_token": "tok-2"}
    account.save()
    user.totp_secret = "JBSWY3DPEHPK3PXP"
    user.set_password("a-new-password-2")
    user.save()

    created = events("orgs.socialaccount.create")[0]
    changed = events("orgs.socialaccount.update")[0]
    assert created.after["credentials"].startswith("[secret ")
    assert changed.before["credentials"] != changed.after["credentials"]
    user_change = events("accounts.user.update")[-1]
    assert set(user_change.after) >= {"password", "totp_secret"}
    for event in AuditEvent.objects.all():
        text = f"{event.before} {event.after}"
        for secret in ("tok-1", "tok-2", "JBSWY3DPEHPK3PXP", "a-new-password-2", user.password):
            assert secret not in text


def test_it_records_logins(client, user):
    client.force_login(user)
    [event] = events("auth.login")
    assert event.actor_id == user.pk
    assert event.object_id == str(user.pk)
