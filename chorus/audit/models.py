"""The audit trail: append-only events, each sealed with the hash of the one before."""

from __future__ import annotations

from typing import Any, NoReturn

from django.db import models


class AuditImmutable(Exception):
    """Raised on any attempt to change or delete a recorded event through the app."""


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AuditImmutable("Audit events cannot be changed.")

    def delete(self) -> NoReturn:
        raise AuditImmutable("Audit events cannot be deleted.")

    def bulk_update(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AuditImmutable("Audit events cannot be changed.")

    def bulk_create(self, *args: Any, **kwargs: Any) -> NoReturn:
        # Rows added in bulk would skip the chain; chorus.audit.chain.record seals each.
        raise AuditImmutable("Audit events are added one at a time by chain.record().")


class AuditEvent(models.Model):
    # No foreign keys on purpose: deleting a user or organisation must not touch the trail.
    created_at = models.DateTimeField(db_index=True)
    actor_id = models.BigIntegerField(null=True, blank=True)
    actor_label = models.CharField(max_length=254, blank=True)
    action = models.CharField(max_length=80, db_index=True)
    object_type = models.CharField(max_length=80, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    organisation_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ("id",)

    def __str__(self) -> str:
        return f"#{self.pk} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AuditImmutable("Audit events cannot be changed.")
        if not self.hash or not self.prev_hash:
            raise AuditImmutable("Audit events are added by chain.record(), which seals them.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AuditImmutable("Audit events cannot be deleted.")
