"""Model fields whose values are encrypted before they reach the database."""

from __future__ import annotations

import json
from typing import Any

from django.db import models

from chorus.vault import keys

PREFIX = "fernet:"


class EncryptedTextField(models.TextField):
    """Stores `fernet:<token>`; the prefix tells ciphertext apart from legacy plaintext."""

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return PREFIX + keys.encrypt(self.to_plaintext(value))

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None or value == "":
            return value
        if value.startswith(PREFIX):
            value = keys.decrypt(value[len(PREFIX):])
        return self.from_plaintext(value)

    def to_plaintext(self, value: Any) -> str:
        return str(value)

    def from_plaintext(self, value: str) -> Any:
        return value


class EncryptedJSONField(EncryptedTextField):
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
