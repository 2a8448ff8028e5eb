"""Recorded events cannot be changed or removed through the application."""

from __future__ import annotations

import pytest
from django.utils import timezone

from chorus.audit.chain import record
from chorus.audit.models import AuditEvent, AuditImmutable


@pytest.fixture
def event(db) -> AuditEvent:  # type: ignore[no-untyped-def]
    return record("test.thing", object_type="test", object_id="1", after={"a": 1})


def test_it_refuses_to_save_an_event_again(event):
    event.action = "test.other"
    with pytest.raises(AuditImmutable):
        event.save()


def test_it_refuses_a_queryset_update(event):
    with pytest.raises(AuditImmutable):
        AuditEvent.objects.filter(pk=event.pk).update(action="test.other")


def test_it_refuses_to_delete_an_event(event):
    with pytest.raises(AuditImmutable):
        event.delete()


def test_it_refuses_a_queryset_delete(event):
    with pytest.raises(AuditImmutable):
        AuditEvent.objects.all().delete()


def test_it_refuses_bulk_changes(event):
    with pytest.raises(AuditImmutable):
        AuditEvent.objects.bulk_update([event], ["action"])
    with pytest.raises(AuditImmutable):
        AuditEvent.objects.bulk_create([AuditEvent(action="x", created_at=timezone.now())])


def test_it_refuses_an_event_that_was_not_sealed(db):
    with pytest.raises(AuditImmutable, match=r"chain\.record"):
        AuditEvent(action="forged", created_at=timezone.now()).save()


def test_it_left_the_stored_event_unchanged(event):
    with pytest.raises(AuditImmutable):
        AuditEvent.objects.filter(pk=event.pk).update(action="test.other")
    assert AuditEvent.objects.get(pk=event.pk).action == "test.thing"
