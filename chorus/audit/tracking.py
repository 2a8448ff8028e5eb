"""Automatic audit events for every saved or deleted row of the tracked models."""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import models
from django.db.models.signals import post_delete, post_save, pre_save

from chorus.audit.chain import record
from chorus.vault.fields import EncryptedTextField

# Secrets never enter the trail; the event only says that they changed.
REDACTED_FIELDS = {"password", "totp_secret", "credentials", "key_hash", "token_hash"}
IGNORED_FIELDS = {"last_login", "last_used_at", "totp_last_step"}
TRACKED = [
    "accounts.User",
    "accounts.ApiToken",
    "orgs.Organisation",
    "orgs.Workspace",
    "orgs.Membership",
    "orgs.WorkspaceRole",
    "orgs.SocialAccount",
    "orgs.Invitation",
    "links.UtmPreset",
    "notifications.NotificationTarget",
]


def snapshot(instance: models.Model) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        if field.name in IGNORED_FIELDS:
            continue
        value = getattr(instance, field.attname)
        # Anything kept encrypted is a secret: the trail holds its fingerprint, never it.
        secret = isinstance(field, EncryptedTextField)
        if (field.name in REDACTED_FIELDS or secret) and value:
            value = fingerprint(value)
        data[field.attname] = value
    return data


def fingerprint(secret: Any) -> str:
    """A short tag that shows a secret changed without revealing it. Keyed with the
    SECRET_KEY, so a short or guessable secret cannot be recovered by hashing guesses."""
    digest = hmac.new(
        settings.SECRET_KEY.encode(),
        b"audit-fingerprint:" + json.dumps(secret, sort_keys=True, default=str).encode(),
        hashlib.sha256,
    ).hexdigest()
    return f"[secret {digest[:8]}]"


def _organisation_id(instance: models.Model) -> int | None:
    from chorus.orgs.models import Organisation

    if isinstance(instance, Organisation):
        return instance.pk
    if hasattr(instance, "organisation_id"):
        return instance.organisation_id
    for name in ("workspace", "membership"):
        related = getattr(instance, name, None)
        if related is not None and hasattr(related, "organisation_id"):
            return related.organisation_id
    return None


def _before(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if instance._state.adding or instance.pk is None:
        instance._audit_before = None  # type: ignore[attr-defined]
        return
    old = sender._default_manager.filter(pk=instance.pk).first()
    instance._audit_before = snapshot(old) if old else None  # type: ignore[attr-defined]


def _saved(
    sender: type[models.Model], instance: models.Model, *, created: bool, **kwargs: Any
) -> None:
    if kwargs.get("raw"):
        return
    before = getattr(instance, "_audit_before", None)
    after = snapshot(instance)
    if before is not None:
        changed = {k for k in after if before.get(k) != after[k]}
        if not changed:
            return
        before = {k: before.get(k) for k in changed}
        after = {k: after[k] for k in changed}
    record(
        f"{sender._meta.label_lower}.{'create' if created else 'update'}",
        obj=instance,
        organisation_id=_organisation_id(instance),
        before=before,
        after=after,
    )


def _deleted(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    record(
        f"{sender._meta.label_lower}.delete",
        obj=instance,
        organisation_id=_organisation_id(instance),
        before=snapshot(instance),
    )


def _logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    record("auth.login", obj=user, actor=user)


def _logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        record("auth.logout", obj=user, actor=user)


def _login_failed(
    sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
) -> None:
    identifier = credentials.get("email") or credentials.get("username") or ""
    record("auth.login_failed", object_type="accounts.user", after={"email": identifier})


def connect() -> None:
    from django.apps import apps

    for label in TRACKED:
        model = apps.get_model(label)
        pre_save.connect(_before, sender=model, dispatch_uid=f"audit-pre-{label}")
        post_save.connect(_saved, sender=model, dispatch_uid=f"audit-post-{label}")
        post_delete.connect(_deleted, sender=model, dispatch_uid=f"audit-del-{label}")
    user_logged_in.connect(_logged_in, dispatch_uid="audit-login")
    user_logged_out.connect(_logged_out, dispatch_uid="audit-logout")
    user_login_failed.connect(_login_failed, dispatch_uid="audit-login-failed")
