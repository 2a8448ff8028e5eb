"""Secrets never reach the database (or its files) in plaintext."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from contextlib import closing

import pytest
from django.core.exceptions import FieldError
from django.db import connection

from chorus.accounts.models import User
from chorus.ops.tests.support import scratch_site
from chorus.orgs.models import Organisation, SocialAccount, Workspace
from chorus.vault.fields import PREFIX

TOKEN = "plaintext-token-XYZ"
TOTP = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def raw(table: str, column: str, pk: int) -> str:
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {qn(column)} FROM {qn(table)} WHERE id = %s", [pk])
        return str(cursor.fetchone()[0])


@pytest.fixture
def account(db, key_file) -> SocialAccount:  # type: ignore[no-untyped-def]
    org = Organisation.objects.create(name="Acme")
    workspace = Workspace.objects.create(organisation=org, name="Acme Brand")
    return SocialAccount.objects.create(
        workspace=workspace,
        network="mastodon",
        remote_id="42",
        handle="@acme",
        credentials={"access_token": TOKEN},
    )


def test_it_stores_credentials_encrypted(account):
    stored = raw("orgs_socialaccount", "credentials", account.pk)
    assert stored.startswith(PREFIX)
    assert TOKEN not in stored
    assert SocialAccount.objects.get(pk=account.pk).credentials == {"access_token": TOKEN}


def test_it_stores_the_totp_secret_encrypted(db, key_file):
    user = User.objects.create_user("ana@acme.test", "pw-for-tests-1")
    user.totp_secret = TOTP
    user.save()
    stored = raw("accounts_user", "totp_secret", user.pk)
    assert stored.startswith(PREFIX)
    assert TOTP not in stored
    user.refresh_from_db()
    assert user.totp_secret == TOTP


def test_it_keeps_empty_and_missing_secrets_queryable(account, db):
    user = User.objects.create_user("bo@acme.test", "pw-for-tests-1")
    assert raw("accounts_user", "totp_secret", user.pk) == ""
    assert User.objects.filter(totp_secret="").filter(pk=user.pk).exists()
    account.credentials = None
    account.save()
    assert SocialAccount.objects.filter(credentials__isnull=True).count() == 1


@pytest.mark.parametrize(
    "lookup",
    [
        {"credentials": {"access_token": TOKEN}},
        {"credentials__icontains": "XYZ"},
        {"credentials__access_token": TOKEN},
    ],
)
def test_it_refuses_to_search_secrets_by_value(account, lookup):
    with pytest.raises(FieldError):
        list(SocialAccount.objects.filter(**lookup))


def test_it_keeps_secrets_out_of_the_audit_trail(account):
    from chorus.audit.models import AuditEvent

    account.credentials = {"access_token": "second-secret-ABC"}
    account.save()
    events = AuditEvent.objects.filter(object_type="orgs.socialaccount")
    assert events.count() == 2
    for event in events:
        text = f"{event.before} {event.after}"
        assert TOKEN not in text
        assert "second-secret-ABC" not in text
    change = events.last()
    assert change is not None
    assert change.after["credentials"].startswith("[secret ")


WRITE_SECRETS = (
    "from chorus.accounts.models import User\n"
    "from chorus.orgs.models import Organisation, SocialAccount, Workspace\n"
    "org = Organisation.objects.create(name='Acme')\n"
    "ws = Workspace.objects.create(organisation=org, name='Acme Brand')\n"
    "SocialAccount.objects.create(workspace=ws, network='x', remote_id='1',\n"
    f"    handle='@acme', credentials={{'access_token': {TOKEN!r}}})\n"
    "u = User.objects.create_user('ana@acme.test', 'pw-for-tests-1')\n"
    f"u.totp_secret = {TOTP!r}\n"
    "u.save()\n"
)


def test_it_writes_no_plaintext_into_the_database_files(tmp_path):
    """Every byte the database keeps: SQLite's file and write-ahead log (before and after a
    checkpoint), or everything pg_dump can read out of PostgreSQL, audit trail included."""
    with scratch_site(tmp_path) as site:
        if site.vendor == "sqlite":
            data = _sqlite_bytes_while_open_and_after_checkpoint(site)
        else:
            site.django(WRITE_SECRETS)
            dump = subprocess.run(
                ["pg_dump", "--data-only", f"--dbname={site.database_url}"],
                capture_output=True,
                check=True,
            )
            data = dump.stdout
        # The check is meaningful only if the rows really are there.
        assert b"@acme" in data
        assert b"ana@acme.test" in data
        assert TOKEN.encode() not in data
        assert TOTP.encode() not in data


def _sqlite_bytes_while_open_and_after_checkpoint(site) -> bytes:  # type: ignore[no-untyped-def]
    """The secrets are written by a process that stays open, so its write-ahead log is
    still there to read; SQLite folds the log into the file when the last connection
    closes."""
    code = (
        "import django, sys; django.setup()\n"
        "from django.db import connection\n"
        "connection.cursor().execute('PRAGMA wal_autocheckpoint=0')\n"
        + WRITE_SECRETS
        + "print('written', flush=True)\nsys.stdin.read()\n"
    )
    writer = subprocess.Popen(
        [sys.executable, "-c", code],
        env=site.env,
        text=True,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    try:
        assert writer.stdout is not None and writer.stdout.readline().strip() == "written"
        db_file = site.sqlite_path
        wal = db_file.with_name(db_file.name + "-wal")
        in_wal = wal.read_bytes()
        assert b"@acme" in in_wal, "the rows should still be in the write-ahead log"
        assert TOKEN.encode() not in in_wal
        assert TOTP.encode() not in in_wal
        with closing(sqlite3.connect(db_file)) as db:
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        after = db_file.read_bytes() + (wal.read_bytes() if wal.exists() else b"")
    finally:
        writer.communicate("", timeout=30)
    return after + in_wal + db_file.read_bytes()
