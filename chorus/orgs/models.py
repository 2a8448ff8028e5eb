"""Tenancy: organisations contain workspaces (brands or clients), which contain accounts."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from chorus.orgs.roles import Role
from chorus.vault.fields import EncryptedJSONField


def unique_slug(model: type[models.Model], name: str, **scope: object) -> str:
    base = slugify(name, allow_unicode=True)[:40] or "x"
    slug, n = base, 1
    while model._default_manager.filter(slug=slug, **scope).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


class SluggedModel(models.Model):
    """A model whose URL slug is made from its name when first saved."""

    SLUG_ATTEMPTS = 5

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if getattr(self, "slug", ""):
            super().save(*args, **kwargs)
            return
        # Two saves with the same name can pick the same free slug at once; the unique
        # constraint refuses the second, which then takes the next free one.
        for attempt in range(self.SLUG_ATTEMPTS):
            name = self.name  # type: ignore[attr-defined]
            self.slug = unique_slug(type(self), name, **self.slug_scope())
            try:
                with transaction.atomic():
                    super().save(*args, **kwargs)
                return
            except IntegrityError:
                self.slug = ""
                if attempt == self.SLUG_ATTEMPTS - 1:
                    raise

    def slug_scope(self) -> dict[str, Any]:
        return {}


class Organisation(SluggedModel):
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(max_length=50, unique=True, allow_unicode=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name


class Workspace(SluggedModel):
    class Kind(models.TextChoices):
        BRAND = "brand", _("Brand")
        CLIENT = "client", _("Client")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="workspaces"
    )
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(max_length=50, allow_unicode=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.BRAND)
    time_zone = models.CharField(_("time zone"), max_length=64, default="UTC")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("name",)
        constraints = [
            models.UniqueConstraint(fields=["organisation", "slug"], name="workspace_slug_per_org")
        ]

    def __str__(self) -> str:
        return self.name

    def slug_scope(self) -> dict[str, Any]:
        return {"organisation": self.organisation}


class Membership(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("organisation__name", "user__email")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user"], name="one_membership_per_org")
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.organisation} as {self.role}"


class WorkspaceRole(models.Model):
    """Narrows or widens a member's organisation role inside one workspace."""

    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="workspace_roles"
    )
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="member_roles")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["membership", "workspace"], name="one_role_per_workspace"
            )
        ]

    def __str__(self) -> str:
        return f"{self.membership.user} in {self.workspace} as {self.role}"


class SocialAccount(models.Model):
    """A connected channel. Connectors fill in credentials and health."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        NEEDS_RECONNECT = "needs_reconnect", _("Needs reconnect")
        DISCONNECTED = "disconnected", _("Disconnected")

    workspace = models.ForeignKey(
        Workspace, on_delete=models.CASCADE, related_name="social_accounts"
    )
    network = models.CharField(_("network"), max_length=30)
    remote_id = models.CharField(max_length=255)
    handle = models.CharField(_("handle"), max_length=255)
    display_name = models.CharField(_("display name"), max_length=255, blank=True)
    avatar_url = models.URLField(max_length=1000, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    credentials = EncryptedJSONField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    # When Chorus last asked the network about the credentials, whatever the answer: the
    # periodic check takes the accounts asked longest ago first, so failing ones do not
    # crowd out the rest.
    last_checked_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("network", "handle")
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "network", "remote_id"], name="one_account_per_remote_id"
            )
        ]

    def __str__(self) -> str:
        return f"{self.network}:{self.handle}"

    @property
    def organisation(self) -> Organisation:
        return self.workspace.organisation


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def pending(self) -> InvitationQuerySet:
        return self.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )


class Invitation(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation}"

    @staticmethod
    def hash(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    @classmethod
    def create(
        cls, organisation: Organisation, email: str, role: str, invited_by: Any
    ) -> tuple[Invitation, str]:
        raw = secrets.token_urlsafe(32)
        inv = cls.objects.create(
            organisation=organisation,
            email=email.lower(),
            role=role,
            invited_by=invited_by,
            token_hash=cls.hash(raw),
            expires_at=timezone.now() + timedelta(days=settings.INVITATION_MAX_AGE_DAYS),
        )
        return inv, raw

    @property
    def state(self) -> str:
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "revoked"
        if self.expires_at <= timezone.now():
            return "expired"
        return "pending"
