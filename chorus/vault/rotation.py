"""Key rotation: add a new key, re-encrypt every stored secret, then retire old keys."""

from __future__ import annotations

import os
from dataclasses import dataclass

from cryptography.fernet import Fernet
from django.db import transaction

from chorus.vault import keys
from chorus.vault.fields import PREFIX, encrypted_fields


@dataclass
class RotationReport:
    rows: int
    fields: int
    retired_keys: int


def rotate(*, retire_old: bool = True) -> RotationReport:
    if os.environ.get("CHORUS_ENCRYPTION_KEYS"):
        raise keys.VaultError(
            "Keys come from CHORUS_ENCRYPTION_KEYS; rotate by editing that variable."
        )
    old = keys.load_keys()
    new = Fernet.generate_key()
    keys.write_keys([new, *old])
    rows = 0
    fields = encrypted_fields()
    # The new key is written first and old keys stay until every row is re-encrypted,
    # so a crash part-way leaves every secret readable.
    with transaction.atomic():
        for model, field in fields:
            manager = model._base_manager
            for obj in manager.exclude(**{field.attname: ""}).only("pk", field.attname):
                value = getattr(obj, field.attname)
                if value is None:
                    continue
                manager.filter(pk=obj.pk).update(**{field.attname: value})
                rows += 1
    if retire_old:
        keys.write_keys([new])
    return RotationReport(rows=rows, fields=len(fields), retired_keys=len(old) if retire_old else 0)


def is_ciphertext(raw: str | None) -> bool:
    return bool(raw) and str(raw).startswith(PREFIX)
