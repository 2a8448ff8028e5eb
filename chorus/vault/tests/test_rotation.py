"""`chorus keys rotate` and reading secrets across key changes."""

from __future__ import annotations

from io import StringIO

import pytest
from cryptography.fernet import Fernet
from django.core.management import CommandError, call_command
from django.db import connection

from chorus.accounts.models import User
from chorus.audit.chain import verify
from chorus.audit.models import AuditEvent
from chorus.orgs.models import Organisation, SocialAccount, Workspace
from chorus.vault import keys
from chorus.vault.fields import PREFIX, encrypted_fields
from chorus.vault.keys import VaultError


def raw(table: str, column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])
        return str(cursor.fetchone()[0])


def set_raw(table: str, column: str, pk: int, value: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET {column} = %s WHERE id = %s", [value, pk])


def key_lines(path) -> list[str]:  # type: ignore[no-untyped-def]
    return [line for line in path.read_text().splitlines() if line.strip()]


@pytest.fixture
def secrets(db, key_file):  # type: ignore[no-untyped-def]
    org = Organisation.objects.create(name="Acme")
    workspace = Workspace.objects.create(organisation=org, name="Acme Brand")
    accounts = [
        SocialAccount.objects.create(
            workspace=workspace,
            network="mastodon",
            remote_id=str(n),
            handle=f"@acme{n}",
            credentials={"access_token": f"token-{n}"},
        )
        for n in range(3)
    ]
    user = User.objects.create_user("ana@acme.test", "pw-for-tests-1")
    user.totp_secret = "JBSWY3DPEHPK3PXP"
    user.save()
    return accounts, user


def test_it_reencrypts_every_secret_and_retires_the_old_key(secrets, key_file):
    accounts, user = secrets
    old_keys = key_lines(key_file)
    before = {a.pk: raw("orgs_socialaccount", "credentials", a.pk) for a in accounts}
    totp_before = raw("accounts_user", "totp_secret", user.pk)

    out = StringIO()
    call_command("keys", "rotate", stdout=out)

    assert "re-encrypted 4 value(s)" in out.getvalue()
    assert "retired 1 old key(s)" in out.getvalue()
    lines = key_lines(key_file)
    assert len(lines) == 1
    assert not set(lines) & set(old_keys)
    for account in accounts:
        after = raw("orgs_socialaccount", "credentials", account.pk)
        assert after.startswith(PREFIX)
        assert after != before[account.pk]
        assert SocialAccount.objects.get(pk=account.pk).credentials == account.credentials
    assert raw("accounts_user", "totp_secret", user.pk) != totp_before
    user.refresh_from_db()
    assert user.totp_secret == "JBSWY3DPEHPK3PXP"
    # Only the new key is needed now.
    only_new = Fernet(lines[0].encode())
    token = raw("orgs_socialaccount", "credentials", accounts[0].pk)[len(PREFIX) :]
    assert only_new.decrypt(token.encode())


def test_it_records_the_rotation_in_the_audit_trail(secrets):
    call_command("keys", "rotate", stdout=StringIO())
    event = AuditEvent.objects.filter(action="vault.keys_rotated").get()
    # Encrypted columns: account credentials, user TOTP secrets, notification target URLs,
    # Mastodon apps' client secrets.
    assert event.after == {"values": 4, "fields": len(encrypted_fields()), "retired_keys": 1}
    assert len(encrypted_fields()) == 4
    assert verify().ok


def test_it_can_keep_old_keys(secrets, key_file):
    old = key_lines(key_file)
    call_command("keys", "rotate", "--keep-old", stdout=StringIO())
    lines = key_lines(key_file)
    assert len(lines) == 2
    assert lines[1:] == old


def test_it_encrypts_legacy_plaintext_when_rotating(secrets):
    accounts, _ = secrets
    set_raw("orgs_socialaccount", "credentials", accounts[0].pk, '{"access_token": "old"}')
    assert SocialAccount.objects.get(pk=accounts[0].pk).credentials == {"access_token": "old"}
    call_command("keys", "rotate", stdout=StringIO())
    stored = raw("orgs_socialaccount", "credentials", accounts[0].pk)
    assert stored.startswith(PREFIX)
    assert "old" not in stored
    assert SocialAccount.objects.get(pk=accounts[0].pk).credentials == {"access_token": "old"}


def test_it_gives_a_clear_error_for_a_value_under_a_removed_key(secrets, key_file):
    accounts, _ = secrets
    keys.write_keys([Fernet.generate_key()])  # the key the values were written with is gone
    with pytest.raises(VaultError, match="cannot be decrypted with the configured keys"):
        SocialAccount.objects.get(pk=accounts[0].pk)
    with pytest.raises(CommandError, match="none of the configured keys"):
        call_command("keys", "rotate", stdout=StringIO())


def test_it_picks_up_a_key_file_changed_by_another_process(secrets, key_file):
    accounts, _ = secrets
    keys.cipher()  # this process has the keys cached
    newer = Fernet.generate_key()
    # What `keys rotate` in another process does: a new file, newest key first.
    key_file.write_text(newer.decode() + "\n" + key_file.read_text())
    account = accounts[0]
    account.credentials = {"access_token": "fresh"}
    account.save()
    token = raw("orgs_socialaccount", "credentials", account.pk)[len(PREFIX) :]
    assert Fernet(newer).decrypt(token.encode()) == b'{"access_token": "fresh"}'


def test_it_names_the_file_when_a_key_is_malformed(db, key_file):
    key_file.write_text("not-a-key\n")
    with pytest.raises(VaultError, match=str(key_file)):
        keys.encrypt("x")
    with pytest.raises(CommandError, match="not a valid Fernet key"):
        call_command("keys", "status", stdout=StringIO())


def test_it_reports_the_key_status(db, key_file):
    keys.encrypt("x")  # creates the file
    out = StringIO()
    call_command("keys", "status", stdout=out)
    assert f"1 key(s) in {key_file}" in out.getvalue()
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"


def test_it_refuses_to_rotate_keys_given_in_the_environment(db, key_file, monkeypatch):
    monkeypatch.setenv(keys.ENV_KEYS, Fernet.generate_key().decode())
    keys.reset_cache()
    with pytest.raises(CommandError, match="CHORUS_ENCRYPTION_KEYS"):
        call_command("keys", "rotate", stdout=StringIO())


def test_it_reads_secrets_written_under_an_older_key(secrets, key_file):
    accounts, _ = secrets
    call_command("keys", "rotate", "--keep-old", stdout=StringIO())
    lines = key_lines(key_file)
    # Put a value back under the older key: still readable while that key is listed.
    old = Fernet(lines[1].encode())
    set_raw(
        "orgs_socialaccount",
        "credentials",
        accounts[1].pk,
        PREFIX + old.encrypt(b'{"access_token": "under-old"}').decode(),
    )
    assert SocialAccount.objects.get(pk=accounts[1].pk).credentials == {"access_token": "under-old"}
