"""Model fields whose values are encrypted before they reach the database.

A value is stored as `fernet:<token>`; the prefix tells ciphertext apart from legacy
plaintext, which is still read (and encrypted by the next `chorus keys rotate`). The
empty string and NULL are stored as they are, so "has no secret" stays queryable.
Each encryption uses a fresh IV, so a stored value cannot be matched by a query: the
only lookups allowed are `isnull` and `exact` against "" or None.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import FieldError
from django.db import models
from django.db.models.lookups import Exact, IsNull

from chorus.vault import keys

PREFIX = "fernet:"


class EmptyOnlyExact(Exact):
    """`field=""` / `field=None` work; comparing with a secret would silently match
    nothing, so it is refused."""

    prepare_rhs = False

    def get_prep_lookup(self) -> Any:
        if self.rhs not in ("", None):
            raise FieldError(
                f"{self.lhs.output_field.name} is encrypted and cannot be searched by "
                "value; only '' and None can be compared."
            )
        return self.rhs


class EncryptedTextField(models.TextField):
    def get_prep_value(self, value: Any) -> Any:
        if value is None:
            return None
        if value == "":
            return ""
        return PREFIX + keys.encrypt(self.to_plaintext(value))

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None or value == "":
            return value
        if value.startswith(PREFIX):
            value = keys.decrypt(value[len(PREFIX) :])
        return self.from_plaintext(value)

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name == "exact":
            return EmptyOnlyExact
        if lookup_name == "isnull":
            return IsNull
        return None

    def get_transform(self, lookup_name: str) -> Any:
        return None

    # Not `serialize`: Field.serialize is a boolean attribute that would shadow it.
    def to_plaintext(self, value: Any) -> str:
        return str(value)

    def from_plaintext(self, value: str) -> Any:
        return value


class EncryptedJSONField(EncryptedTextField):
    """Any JSON value, encrypted whole. None is stored as NULL."""

    def get_prep_value(self, value: Any) -> Any:
        if value is None:
            return None
        return PREFIX + keys.encrypt(self.to_plaintext(value))

    def to_python(self, value: Any) -> Any:
        return value

    def to_plaintext(self, value: Any) -> str:
        return json.dumps(value, sort_keys=True)

    def from_plaintext(self, value: str) -> Any:
        return json.loads(value)


def encrypted_fields() -> list[tuple[type[models.Model], EncryptedTextField]]:
    from django.apps import apps

    found = []
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, EncryptedTextField):
                found.append((model, field))
    return found
