"""Key rotation: add a new key, re-encrypt every stored secret, then retire old keys.

Secrets are re-encrypted as stored text (`fernet:<token>` → `fernet:<new token>`), so
rotation needs no knowledge of each field's type and never loads a model.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from django.db import connection, models, transaction

from chorus.vault import keys
from chorus.vault.fields import PREFIX, EncryptedTextField, encrypted_fields

BATCH = 500


@dataclass
class RotationReport:
    rows: int
    fields: int
    retired_keys: int


def rotate(*, retire_old: bool = True) -> RotationReport:
    if keys.keys_from_environment():
        raise keys.VaultError(
            "Keys come from CHORUS_ENCRYPTION_KEYS; rotate by editing that variable."
        )
    old = keys.load_keys()
    new = Fernet.generate_key()
    # The new key goes in first and old keys stay until every row is re-encrypted, so a
    # crash part-way leaves every secret readable.
    keys.write_keys([new, *old])
    fields = encrypted_fields()
    rows = 0
    with transaction.atomic():
        for model, field in fields:
            rows += _reencrypt(model, field, skip=lambda token: False)
    if retire_old:
        # Another process may have saved a secret with its old newest key just before it
        # noticed the new key file; catch such rows before the old keys go.
        only_new = Fernet(new)
        with transaction.atomic():
            for model, field in fields:
                _reencrypt(model, field, skip=lambda token: _readable(only_new, token))
        keys.write_keys([new])

    from chorus.audit.chain import record

    record(
        "vault.keys_rotated",
        object_type="vault.keys",
        after={
            "values": rows,
            "fields": len(fields),
            "retired_keys": len(old) if retire_old else 0,
        },
    )
    return RotationReport(rows=rows, fields=len(fields), retired_keys=len(old) if retire_old else 0)


def _reencrypt(
    model: type[models.Model], field: EncryptedTextField, *, skip: Callable[[str], bool]
) -> int:
    """Re-encrypts one column in primary-key order, a batch at a time."""
    qn = connection.ops.quote_name
    table, column = qn(model._meta.db_table), qn(field.column or field.name)
    pk_column = qn(model._meta.pk.column or "id")  # type: ignore[union-attr]
    where = f"{column} IS NOT NULL AND {column} <> ''"
    select = f"SELECT {pk_column}, {column} FROM {table} WHERE {where}"  # noqa: S608
    order = f" ORDER BY {pk_column} LIMIT {BATCH}"
    update = f"UPDATE {table} SET {column} = %s WHERE {pk_column} = %s"  # noqa: S608
    changed = 0
    last: Any = None
    with connection.cursor() as cursor:
        while True:
            if last is None:
                cursor.execute(select + order)
            else:
                cursor.execute(f"{select} AND {pk_column} > %s{order}", [last])
            batch = cursor.fetchall()
            if not batch:
                return changed
            for pk, raw in batch:
                last = pk
                if raw.startswith(PREFIX):
                    token = raw[len(PREFIX) :]
                    if skip(token):
                        continue
                    stored = PREFIX + keys.reencrypt(token)
                else:
                    stored = PREFIX + keys.encrypt(raw)  # legacy plaintext
                cursor.execute(update, [stored, pk])
                changed += 1


def _readable(fernet: Fernet, token: str) -> bool:
    try:
        fernet.decrypt(token.encode())
    except InvalidToken:
        return False
    return True


def is_ciphertext(raw: str | None) -> bool:
    return bool(raw) and str(raw).startswith(PREFIX)
