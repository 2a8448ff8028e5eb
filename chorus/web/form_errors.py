"""Showing a service's ValidationError on the form that fed it."""

from __future__ import annotations

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


def add_service_errors(
    form: forms.BaseForm, exc: ValidationError, fields: dict[str, str] | None = None
) -> None:
    """Attach each message to its form field; `fields` renames service fields to form ones.

    Messages about something the form does not show go to the form as a whole, so
    none is lost.
    """
    fields = fields or {}
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for name, errors in exc.error_dict.items():
        target = fields.get(name, name)
        messages = [message for error in errors for message in error.messages]
        if target in form.fields and target != NON_FIELD_ERRORS:
            form.add_error(target, messages)
        else:
            form.add_error(None, messages)


def messages_of(exc: ValidationError) -> list[str]:
    return list(exc.messages)
