"""Appending to and verifying the hash chain."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.db import connections, router, transaction
from django.utils import timezone

from chorus.audit import context
from chorus.audit.models import AuditEvent

GENESIS = "0" * 64
# A constant key for PostgreSQL's advisory lock that serialises appends to the chain.
_PG_LOCK_KEY = 0x43484F52  # "CHOR"


def _canonical(event: AuditEvent) -> bytes:
    body = {
        "created_at": event.created_at.isoformat(),
        "actor_id": event.actor_id,
        "actor_label": event.actor_label,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "organisation_id": event.organisation_id,
        "before": event.before,
        "after": event.after,
        "request_id": event.request_id,
        "prev_hash": event.prev_hash,
    }
    return json.dumps(
        body, sort_keys=True, separators=(",", ":"), default=str, ensure_ascii=False
    ).encode()


def seal(event: AuditEvent) -> str:
    return hashlib.sha256(_canonical(event)).hexdigest()


def _jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str)) if value is not None else None


def record(
    action: str,
    *,
    obj: Any = None,
    object_type: str = "",
    object_id: Any = "",
    organisation_id: int | None = None,
    before: Any = None,
    after: Any = None,
    actor: Any = None,
) -> AuditEvent:
    """Append one event. Runs inside the caller's transaction, so it commits or rolls back
    with the change it describes."""
    who = actor if actor is not None else context.actor()
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
    db = router.db_for_write(AuditEvent)
    with transaction.atomic(using=db):
        connection = connections[db]
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_PG_LOCK_KEY])
        last = AuditEvent.objects.using(db).order_by("-id").values_list("hash", flat=True).first()
        event = AuditEvent(
            created_at=timezone.now(),
            actor_id=getattr(who, "pk", None),
            actor_label=str(who) if who is not None else "system",
            action=action,
            object_type=object_type,
            object_id=str(object_id or ""),
            organisation_id=organisation_id,
            before=_jsonable(before),
            after=_jsonable(after),
            request_id=context.current_request_id.get(),
            prev_hash=last or GENESIS,
        )
        event.hash = seal(event)
        event.save(using=db)
    return event


@dataclass
class Verification:
    checked: int
    broken_at: int | None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def verify() -> Verification:
    expected_prev = GENESIS
    checked = 0
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        if event.prev_hash != expected_prev:
            return Verification(
                checked,
                event.pk,
                "its link to the previous event does not match "
                "(an event before it was removed or altered)",
            )
        if seal(event) != event.hash:
            return Verification(checked, event.pk, "its content does not match its hash")
        expected_prev = event.hash
        checked += 1
    return Verification(checked, None)
