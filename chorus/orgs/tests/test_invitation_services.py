"""Review findings on invitations: the e-mail subject with a line break in a name,
revoking an invitation that was accepted meanwhile, and the audit trail of a replaced
invitation."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from chorus.audit.models import AuditEvent
from chorus.orgs import services
from chorus.orgs.models import Invitation, Membership
from chorus.orgs.roles import Role


def test_it_sends_the_invitation_when_a_name_holds_a_line_break(
    tenants, django_capture_on_commit_callbacks
):
    """Names may hold line breaks (the API and a crafted form accept them); an e-mail
    header may not, and sending happens after the invitation is committed, so the
    person inviting got a 500 and the invitee no e-mail."""
    owner = tenants.users["owner"]
    owner.full_name = "Pat\nOwner"
    owner.save()
    services.update_organisation(owner, tenants.org, name="Acme\r\nBcc: someone@evil.test")
    with django_capture_on_commit_callbacks(execute=True):
        services.invite(owner, tenants.org, email="new@acme.test", role=Role.EDITOR)
    [message] = mail.outbox
    assert "\n" not in message.subject and "\r" not in message.subject
    assert message.subject.startswith("Pat Owner invited you to Acme Bcc: someone@evil.test")
    assert message.to == ["new@acme.test"]
    assert "Bcc" not in message.message()


def test_it_does_not_revoke_an_invitation_accepted_meanwhile(tenants):
    """The revoking request loaded the invitation before the invitee accepted it; saving
    that stale copy used to wipe out the acceptance."""
    owner = tenants.users["owner"]
    invitation, raw = Invitation.create(tenants.org, "late@acme.test", Role.EDITOR, owner)
    stale = Invitation.objects.get(pk=invitation.pk)
    user, _membership = services.accept_invitation(raw, password="a-Good-passw0rd-here")

    with pytest.raises(ValidationError) as refusal:
        services.revoke_invitation(owner, stale)
    assert "This invitation was already accepted." in refusal.value.messages
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    assert invitation.revoked_at is None
    assert Membership.objects.filter(organisation=tenants.org, user=user).exists()


def test_replacing_a_pending_invitation_records_its_revocation(tenants):
    """Inviting an address again revokes its pending invitation; that happened in a bulk
    update, which the audit trail's signals never see."""
    owner = tenants.users["owner"]
    first, _raw = services.invite(owner, tenants.org, email="twice@acme.test", role=Role.EDITOR)
    services.invite(owner, tenants.org, email="twice@acme.test", role=Role.ANALYST)
    first.refresh_from_db()
    assert first.state == "revoked"
    [event] = AuditEvent.objects.filter(action="orgs.invitation.update", object_id=str(first.pk))
    assert event.organisation_id == tenants.org.pk
    assert event.before == {"revoked_at": None}
    assert event.after is not None and event.after["revoked_at"]
