"""`chorus backup` then `chorus restore`, in real processes, on the database under test."""

from __future__ import annotations

import json
import stat
import tarfile

from chorus.ops.tests import backup_scenario
from chorus.ops.tests.support import scratch_site

SCENARIO = "chorus.ops.tests.backup_scenario"


def test_it_restores_everything_a_backup_holds(tmp_path):
    with scratch_site(tmp_path) as site:
        before = json.loads(site.python(SCENARIO, "populate").stdout)
        assert before["credentials"] == [{"access_token": backup_scenario.TOKEN}]
        assert before["audit_ok"]

        archive = tmp_path / "chorus.tar.gz"
        result = site.chorus("backup", "--output", str(archive))
        assert "keep it safe" in result.stdout
        assert stat.S_IMODE(archive.stat().st_mode) == 0o600
        with tarfile.open(archive) as tar:
            names = set(tar.getnames())
            manifest = json.load(tar.extractfile("manifest.json"))  # type: ignore[arg-type]
        database_member = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}[
            site.vendor
        ]
        assert names == {
            "manifest.json",
            database_member,
            "keys/secret_key",
            "keys/encryption.keys",
            "media/avatars/acme.txt",
        }
        assert manifest["database"]["vendor"] == site.vendor
        assert set(manifest["members"]) == names - {"manifest.json"}

        changed = json.loads(site.python(SCENARIO, "mutate").stdout)
        assert changed["organisations"] == ["Newco", "Renamed"]
        assert changed["credentials"] == []
        assert changed["key_file"] != before["key_file"]

        restored = site.chorus("restore", str(archive), "--yes")
        assert "Restored the backup" in restored.stdout

        after = json.loads(site.python(SCENARIO, "state").stdout)
        for key in (
            "organisations",
            "workspaces",
            "users",
            "totp",
            "credentials",
            "key_file",
            "media",
        ):
            assert after[key] == before[key], key
        assert after["credentials"] == [{"access_token": backup_scenario.TOKEN}]
        assert after["totp"][0] == backup_scenario.TOTP
        # The restored trail, plus the restore itself; the backup event came after the
        # dump, so it is not in the archive.
        assert after["audit_actions"] == [*before["audit_actions"], "ops.restore"]
        assert after["audit_ok"]
        verified = site.chorus("audit", "verify")
        assert f"{len(after['audit_actions'])} event(s) verified" in verified.stdout
