"""What `chorus backup` writes, and how `chorus restore` refuses an archive it cannot
trust before changing anything."""

from __future__ import annotations

import hashlib
import io
import json
import stat
import tarfile
from collections.abc import Callable
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from chorus.audit.models import AuditEvent
from chorus.orgs.models import Organisation
from chorus.vault import keys
from chorus.workers.models import WorkerHeartbeat

OTHER_VENDOR = {
    "sqlite": ("postgresql", "database.pgdump"),
    "postgresql": ("sqlite", "database.sqlite3"),
}


@pytest.fixture
def site(tmp_path, settings, monkeypatch, transactional_db) -> Path:  # type: ignore[no-untyped-def]
    """var/ files of this test's own: secret key, encryption keys, one media file."""
    for name in ("CHORUS_SECRET_KEY", "CHORUS_SECRET_KEY_FILE", keys.ENV_KEYS):
        monkeypatch.delenv(name, raising=False)
    var = tmp_path / "var"
    (var / "media" / "avatars").mkdir(parents=True)
    (var / "media" / "avatars" / "acme.txt").write_text("avatar")
    (var / "secret_key").write_text("test-secret-key\n")
    settings.VAR_DIR = var
    settings.MEDIA_ROOT = str(var / "media")
    settings.CHORUS_ENCRYPTION_KEY_FILE = str(var / "encryption.keys")
    keys.reset_cache()
    keys.encrypt("create the key file")
    Organisation.objects.create(name="Acme")
    yield var
    keys.reset_cache()


@pytest.fixture
def archive(site, tmp_path) -> Path:  # type: ignore[no-untyped-def]
    path = tmp_path / "backup.tar.gz"
    call_command("backup", "--output", str(path), stdout=StringIO(), stderr=StringIO())
    return path


def members(path: Path) -> dict[str, bytes]:
    with tarfile.open(path) as tar:
        return {m.name: tar.extractfile(m).read() for m in tar}  # type: ignore[union-attr]


def rewrite(source: Path, target: Path, change: Callable[[dict[str, bytes], dict], None]) -> Path:  # type: ignore[type-arg]
    files = members(source)
    manifest = json.loads(files.pop("manifest.json"))
    change(files, manifest)
    with tarfile.open(target, "w:gz") as tar:
        for name, data in [*files.items(), ("manifest.json", json.dumps(manifest).encode())]:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return target


def restore(path: Path, *args: str) -> str:
    out = StringIO()
    call_command("restore", str(path), *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def assert_untouched(site: Path, key_file_before: str) -> None:
    assert Organisation.objects.filter(name="Acme").exists()
    assert (site / "encryption.keys").read_text() == key_file_before
    assert (site / "media" / "avatars" / "acme.txt").read_text() == "avatar"


def test_it_writes_one_private_archive_with_a_manifest_of_hashes(archive, site):
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    files = members(archive)
    manifest = json.loads(files.pop("manifest.json"))
    database = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}[connection.vendor]
    assert set(files) == {
        database,
        "keys/secret_key",
        "keys/encryption.keys",
        "media/avatars/acme.txt",
    }
    assert manifest["format"] == "chorus-backup"
    assert manifest["version"] == 1
    assert manifest["database"]["vendor"] == connection.vendor
    assert manifest["database"]["migrations"]["audit"] == "0001_initial"
    assert timezone.datetime.fromisoformat(manifest["created_at"])
    for name, data in files.items():
        assert manifest["members"][name] == {
            "sha256": hashlib.sha256(data).hexdigest(),
            "size": len(data),
        }
    assert files["keys/secret_key"] == b"test-secret-key\n"
    assert files["keys/encryption.keys"] == (site / "encryption.keys").read_bytes()
    assert files["media/avatars/acme.txt"] == b"avatar"


def test_it_records_the_backup_in_the_audit_trail(archive):
    event = AuditEvent.objects.get(action="ops.backup")
    assert event.after["archive"] == archive.name


def test_it_warns_about_the_keys_in_its_help_and_output(site, tmp_path):
    from chorus.ops.management.commands.backup import Command

    assert "contains the keys" in Command.help
    out = StringIO()
    call_command("backup", "--output", str(tmp_path / "b.tar.gz"), stdout=out)
    assert "contains the encryption keys" in out.getvalue()


def test_it_writes_to_var_backups_by_default(site):
    call_command("backup", stdout=StringIO())
    [written] = (site / "backups").iterdir()
    assert written.name.startswith("chorus-backup-")
    assert written.name.endswith(".tar.gz")


def test_it_never_overwrites_a_file(archive):
    with pytest.raises(CommandError, match="already exists"):
        call_command("backup", "--output", str(archive), stdout=StringIO())


def test_it_says_when_the_output_folder_is_missing(site, tmp_path):
    with pytest.raises(CommandError, match="does not exist"):
        call_command("backup", "--output", str(tmp_path / "nope" / "b.tar.gz"))


def test_it_leaves_keys_from_the_environment_out(site, tmp_path, monkeypatch):
    monkeypatch.setenv("CHORUS_SECRET_KEY", "from-env")
    err = StringIO()
    path = tmp_path / "env.tar.gz"
    call_command("backup", "--output", str(path), stdout=StringIO(), stderr=err)
    assert "keys/secret_key" not in members(path)
    assert "CHORUS_SECRET_KEY comes from the environment" in err.getvalue()


def test_it_checks_an_intact_archive_without_changing_anything(archive):
    assert "is intact" in restore(archive, "--check")


def test_it_refuses_a_damaged_member(archive, site, tmp_path):
    before = (site / "encryption.keys").read_text()

    def damage(files, manifest):  # type: ignore[no-untyped-def]
        files["media/avatars/acme.txt"] = b"tampered"

    bad = rewrite(archive, tmp_path / "bad.tar.gz", damage)
    for args in (["--check"], ["--yes"]):
        with pytest.raises(CommandError, match=r"media/avatars/acme\.txt .* damaged"):
            restore(bad, *args)
    assert_untouched(site, before)


def test_it_refuses_a_damaged_database_dump(archive, site, tmp_path):
    before = (site / "encryption.keys").read_text()

    def damage(files, manifest):  # type: ignore[no-untyped-def]
        name = manifest["database"]["member"]
        files[name] = files[name][:-1] + bytes([files[name][-1] ^ 0xFF])

    with pytest.raises(CommandError, match=r"database.* damaged: its checksum"):
        restore(rewrite(archive, tmp_path / "bad.tar.gz", damage), "--yes")
    assert_untouched(site, before)


def test_it_refuses_a_backup_of_the_other_database(archive, site, tmp_path):
    before = (site / "encryption.keys").read_text()
    vendor, member = OTHER_VENDOR[connection.vendor]

    def swap(files, manifest):  # type: ignore[no-untyped-def]
        old = manifest["database"]["member"]
        files[member] = files.pop(old)
        manifest["members"][member] = manifest["members"].pop(old)
        manifest["database"].update(vendor=vendor, member=member)

    wrong = rewrite(archive, tmp_path / "wrong.tar.gz", swap)
    with pytest.raises(CommandError, match=r"holds a .* database, but this Chorus uses"):
        restore(wrong, "--yes")
    assert_untouched(site, before)


@pytest.mark.parametrize("content", [b"", b"definitely not a tarball", b"\x1f\x8b\x08\x00garbage"])
def test_it_refuses_a_file_that_is_not_a_backup(site, tmp_path, content):
    path = tmp_path / "junk.tar.gz"
    path.write_bytes(content)
    with pytest.raises(CommandError, match="not a readable Chorus backup"):
        restore(path, "--yes")


def test_it_refuses_a_truncated_archive(archive, tmp_path):
    data = archive.read_bytes()
    cut = tmp_path / "cut.tar.gz"
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(CommandError, match=r"not a readable Chorus backup|no manifest"):
        restore(cut, "--yes")


def test_it_refuses_a_tarball_without_a_manifest(site, tmp_path):
    path = tmp_path / "plain.tar.gz"
    with tarfile.open(path, "w:gz") as tar:
        info = tarfile.TarInfo("hello.txt")
        info.size = 2
        tar.addfile(info, io.BytesIO(b"hi"))
    with pytest.raises(CommandError, match="not a Chorus backup"):
        restore(path, "--yes")


def test_it_refuses_a_member_the_manifest_does_not_list(archive, tmp_path):
    def smuggle(files, manifest):  # type: ignore[no-untyped-def]
        files["media/extra.txt"] = b"surprise"

    with pytest.raises(CommandError, match="does not list"):
        restore(rewrite(archive, tmp_path / "extra.tar.gz", smuggle), "--yes")


def test_it_refuses_an_incomplete_archive(archive, tmp_path):
    def drop(files, manifest):  # type: ignore[no-untyped-def]
        del files["keys/encryption.keys"]

    with pytest.raises(CommandError, match=r"incomplete: keys/encryption\.keys is missing"):
        restore(rewrite(archive, tmp_path / "short.tar.gz", drop), "--yes")


@pytest.mark.parametrize(
    "name", ["../escape.txt", "media/../../escape.txt", "/etc/passwd", "settings.py"]
)
def test_it_refuses_paths_outside_the_layout(archive, tmp_path, name):
    def escape(files, manifest):  # type: ignore[no-untyped-def]
        files[name] = b"x"
        manifest["members"][name] = {"sha256": hashlib.sha256(b"x").hexdigest(), "size": 1}

    with pytest.raises(CommandError, match="unexpected file"):
        restore(rewrite(archive, tmp_path / "escape.tar.gz", escape), "--yes")
    assert not (tmp_path / "escape.txt").exists()


def test_it_asks_for_confirmation(archive, site):
    before = (site / "encryption.keys").read_text()
    with pytest.raises(CommandError, match="--yes"):
        restore(archive)
    assert_untouched(site, before)


def test_it_refuses_while_workers_run(archive, site):
    before = (site / "encryption.keys").read_text()
    now = timezone.now()
    WorkerHeartbeat.objects.create(
        worker_id="busy-1",
        hostname="h",
        pid=1,
        mode="process",
        queues="*",
        started_at=now,
        last_seen=now,
    )
    with pytest.raises(CommandError, match=r"Workers are running \(busy-1\).*--force"):
        restore(archive, "--yes")
    assert_untouched(site, before)


def test_it_will_not_restore_into_an_in_memory_database(archive):
    if not (connection.vendor == "sqlite" and connection.is_in_memory_db()):
        pytest.skip("only the SQLite test database lives in memory")
    with pytest.raises(CommandError, match="in-memory"):
        restore(archive, "--yes")


@pytest.mark.postgres_only
def test_it_refuses_to_leave_tables_the_backup_lacks(archive, site):
    before = (site / "encryption.keys").read_text()
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE chorus_test_newer_feature (id integer)")
    try:
        with pytest.raises(CommandError, match=r"chorus_test_newer_feature.*empty database"):
            restore(archive, "--yes")
        assert_untouched(site, before)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE chorus_test_newer_feature")
