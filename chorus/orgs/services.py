"""Changes to tenancy, shared by the web views and the API.

Each function checks the policy, validates, and writes inside one transaction, so a
refused or invalid change leaves nothing half-written. Audit events are recorded by
chorus.audit.tracking as rows change.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from chorus.accounts.models import User
from chorus.connectors.registry import connector_for
from chorus.orgs import policy
from chorus.orgs.models import (
    Invitation,
    Membership,
    Organisation,
    SocialAccount,
    Workspace,
    WorkspaceRole,
)
from chorus.orgs.roles import Role
from chorus.orgs.timezones import validate_time_zone

logger = logging.getLogger(__name__)


def _validate_role(role: str) -> str:
    if role not in Role.values:
        raise ValidationError(
            {
                "role": _("Unknown role “%(role)s”. Choose one of: %(roles)s.")
                % {"role": role, "roles": ", ".join(Role.values)}
            }
        )
    return role


def _validate_name(name: str, field: str = "name") -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationError({field: _("A name is required.")})
    if len(name) > 120:
        raise ValidationError({field: _("Keep the name to 120 characters or fewer.")})
    return name


def _guard_last_owner(membership: Membership, new_role: str | None) -> None:
    if membership.role != Role.OWNER or new_role == Role.OWNER:
        return
    owners = Membership.objects.filter(organisation=membership.organisation, role=Role.OWNER)
    # Locking the owners makes two owners stepping down at once take turns; the second
    # then counts the first's change (otherwise both see two owners and none is left).
    if len(owners.select_for_update()) <= 1:
        raise ValidationError(
            {"role": _("An organisation needs at least one owner; make someone else owner first.")}
        )


# Organisations -------------------------------------------------------------------------


@transaction.atomic
def create_organisation(user: User, name: str) -> Organisation:
    org = Organisation.objects.create(name=_validate_name(name))
    Membership.objects.create(organisation=org, user=user, role=Role.OWNER)
    return org


@transaction.atomic
def update_organisation(
    user: User, org: Organisation, *, name: str, token: Any = None
) -> Organisation:
    policy.authorize(user, "org.update", org, token=token)
    org.name = _validate_name(name)
    org.save()
    return org


@transaction.atomic
def delete_organisation(user: User, org: Organisation, token: Any = None) -> None:
    """Delete the organisation with its workspaces, accounts, members and invitations.

    The audit trail keeps its events: they hold no foreign keys.
    """
    policy.authorize(user, "org.delete", org, token=token)
    org.delete()


# Workspaces ----------------------------------------------------------------------------


@transaction.atomic
def create_workspace(
    user: User,
    org: Organisation,
    *,
    name: str,
    kind: str = "brand",
    time_zone: str = "UTC",
    token: Any = None,
) -> Workspace:
    policy.authorize(user, "workspace.create", org, token=token)
    if kind not in Workspace.Kind.values:
        raise ValidationError({"kind": _("Kind must be “brand” or “client”.")})
    return Workspace.objects.create(
        organisation=org,
        name=_validate_name(name),
        kind=kind,
        time_zone=validate_time_zone(time_zone),
    )


@transaction.atomic
def update_workspace(
    user: User,
    workspace: Workspace,
    *,
    name: str | None = None,
    kind: str | None = None,
    time_zone: str | None = None,
    token: Any = None,
) -> Workspace:
    policy.authorize(user, "workspace.update", workspace, token=token)
    if name is not None:
        workspace.name = _validate_name(name)
    if kind is not None:
        if kind not in Workspace.Kind.values:
            raise ValidationError({"kind": _("Kind must be “brand” or “client”.")})
        workspace.kind = kind
    if time_zone is not None:
        workspace.time_zone = validate_time_zone(time_zone)
    workspace.save()
    return workspace


@transaction.atomic
def delete_workspace(user: User, workspace: Workspace, token: Any = None) -> None:
    policy.authorize(user, "workspace.delete", workspace, token=token)
    workspace.delete()


# Members -------------------------------------------------------------------------------


@transaction.atomic
def change_member_role(
    user: User, membership: Membership, role: str, token: Any = None
) -> Membership:
    policy.authorize(user, "member.manage", membership.organisation, token=token)
    _validate_role(role)
    actor_role = policy.role_for(user, membership.organisation)
    if Role.OWNER in (role, membership.role) and actor_role != Role.OWNER:
        raise policy.Forbidden(_("Only an owner can grant or take away the owner role."))
    _guard_last_owner(membership, role)
    membership.role = role
    membership.save()
    return membership


@transaction.atomic
def remove_member(user: User, membership: Membership, token: Any = None) -> None:
    policy.authorize(user, "member.manage", membership.organisation, token=token)
    if (
        membership.role == Role.OWNER
        and policy.role_for(user, membership.organisation) != Role.OWNER
    ):
        raise policy.Forbidden(_("Only an owner can remove an owner."))
    _guard_last_owner(membership, None)
    membership.delete()


@transaction.atomic
def set_workspace_role(
    user: User, membership: Membership, workspace: Workspace, role: str | None, token: Any = None
) -> WorkspaceRole | None:
    """Give `membership` a different role in one workspace; None removes the override."""
    policy.authorize(user, "member.manage", workspace, token=token)
    if workspace.organisation_id != membership.organisation_id:
        raise policy.NotFound(_("Not found."))
    if role is None:
        WorkspaceRole.objects.filter(membership=membership, workspace=workspace).delete()
        return None
    _validate_role(role)
    if role == Role.OWNER:
        raise ValidationError(
            {"role": _("Ownership is organisation-wide; it cannot be granted for one workspace.")}
        )
    if membership.role == Role.OWNER:
        # role_for ignores workspace roles of owners; storing one would only mislead.
        raise ValidationError(
            {
                "role": _(
                    "Owners hold every right in every workspace; a workspace role would "
                    "change nothing."
                )
            }
        )
    override_, _created = WorkspaceRole.objects.update_or_create(
        membership=membership, workspace=workspace, defaults={"role": role}
    )
    return override_


# Social accounts -----------------------------------------------------------------------


def disconnect_account(user: User, account: SocialAccount, token: Any = None) -> SocialAccount:
    """Stop using an account and forget its credentials; its row and history stay."""
    policy.authorize(user, "account.manage", account, token=token)
    # Outside a transaction: the network may take its time to answer.
    _revoke(account)
    with transaction.atomic():
        account.status = SocialAccount.Status.DISCONNECTED
        account.credentials = None
        account.save()
    return account


def _revoke(account: SocialAccount) -> None:
    """Give up Chorus' access on the network where it can. Best effort: a network that is
    down, or a token it already revoked, must not keep Chorus holding the credentials."""
    if not account.credentials:
        return
    try:
        connector_for(account.network).disconnect(account)
    except LookupError:
        logger.warning("No connector for %s; account %s not revoked", account.network, account.pk)
    except DatabaseError:
        raise
    except Exception:
        logger.exception("Revoking account %s on %s failed", account.pk, account.network)


# Invitations ---------------------------------------------------------------------------


@transaction.atomic
def invite(
    user: User, org: Organisation, *, email: str, role: str, token: Any = None
) -> tuple[Invitation, str]:
    """Create an invitation and e-mail its link. Returns it and the raw link token."""
    policy.authorize(user, "invitation.manage", org, token=token)
    email = (email or "").strip().lower()
    if len(email) > 254:  # the longest address SMTP allows, and the column's size
        raise ValidationError({"email": _("An e-mail address has at most 254 characters.")})
    try:
        validate_email(email)
    except ValidationError as exc:
        raise ValidationError(
            {"email": _("“%(email)s” is not a valid e-mail address.") % {"email": email}}
        ) from exc
    _validate_role(role)
    if role == Role.OWNER and policy.role_for(user, org) != Role.OWNER:
        raise policy.Forbidden(_("Only an owner can invite another owner."))
    if Membership.objects.filter(organisation=org, user__email=email).exists():
        raise ValidationError({"email": _("%(email)s is already a member.") % {"email": email}})
    # One save per invitation rather than a bulk update, so each revocation is audited.
    for replaced in Invitation.objects.pending().filter(organisation=org, email=email):
        replaced.revoked_at = timezone.now()
        replaced.save()
    invitation, raw = Invitation.create(org, email, role, invited_by=user)
    link = f"{settings.BASE_URL}/invite/{raw}/"
    with override(getattr(user, "language", None) or settings.LANGUAGE_CODE):
        subject = _("%(name)s invited you to %(org)s on Chorus") % {
            "name": user.display_name,
            "org": org.name,
        }
        body = _(
            "You are invited to join %(org)s as %(role)s.\n\nAccept within %(days)d days: "
            "%(link)s\n"
        ) % {
            "org": org.name,
            "role": Role(role).label,
            "days": settings.INVITATION_MAX_AGE_DAYS,
            "link": link,
        }
    # Names may hold line breaks; a mail header may not (sending would fail after commit).
    subject = " ".join(subject.split())
    transaction.on_commit(lambda: send_mail(subject, body, None, [email]))
    return invitation, raw


@transaction.atomic
def revoke_invitation(user: User, invitation: Invitation, token: Any = None) -> Invitation:
    policy.authorize(user, "invitation.manage", invitation.organisation, token=token)
    # Locked and re-read: an acceptance committed since the caller loaded it must win.
    invitation.refresh_from_db(from_queryset=Invitation.objects.select_for_update())
    if invitation.state != "pending":
        raise ValidationError({"invitation": _closed_invitation(invitation)})
    invitation.revoked_at = timezone.now()
    invitation.save()
    return invitation


class InvitationError(ValidationError):
    pass


def _closed_invitation(invitation: Invitation) -> str:
    # A whole sentence per state rather than a state word in one sentence: languages
    # word "already accepted" and "has expired" differently (Lao among them).
    sentences = {
        "accepted": _("This invitation was already accepted."),
        "revoked": _("This invitation was already revoked."),
        "expired": _("This invitation has expired. Ask for a new one."),
    }
    return sentences[invitation.state]


def find_invitation(raw: str) -> Invitation:
    invitation = (
        Invitation.objects.select_related("organisation")
        .filter(token_hash=Invitation.hash(raw or ""))
        .first()
    )
    if invitation is None:
        raise InvitationError(_("This invitation link is not valid. Ask for a new one."))
    if invitation.state == "expired":
        raise InvitationError(
            _("This invitation expired on %(date)s. Ask %(org)s for a new one.")
            % {
                "date": invitation.expires_at.date().isoformat(),
                "org": invitation.organisation.name,
            }
        )
    if invitation.state != "pending":
        raise InvitationError(_closed_invitation(invitation))
    return invitation


@transaction.atomic
def accept_invitation(
    raw: str, *, user: User | None = None, password: str | None = None, full_name: str = ""
) -> tuple[User, Membership]:
    """Accept as the logged-in `user`, or create the invitee's account with `password`."""
    invitation = find_invitation(raw)
    # Lock the row so two clicks on one link cannot both create a membership.
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.state != "pending":
        raise InvitationError(_closed_invitation(invitation))
    if user is None:
        if User.objects.filter(email=invitation.email).exists():
            raise InvitationError(
                _("An account for %(email)s exists: log in to accept.")
                % {"email": invitation.email}
            )
        from django.contrib.auth.password_validation import validate_password

        candidate = User(email=invitation.email, full_name=full_name)
        try:
            validate_password(password or "", candidate)
        except ValidationError as exc:
            raise ValidationError({"password": exc.messages}) from exc
        user = User.objects.create_user(invitation.email, password, full_name=full_name)
    elif user.email.lower() != invitation.email:
        raise InvitationError(
            _("This invitation is for %(email)s; you are logged in as %(me)s.")
            % {"email": invitation.email, "me": user.email}
        )
    membership, _created = Membership.objects.get_or_create(
        organisation=invitation.organisation, user=user, defaults={"role": invitation.role}
    )
    invitation.accepted_at = timezone.now()
    invitation.save()
    return user, membership
