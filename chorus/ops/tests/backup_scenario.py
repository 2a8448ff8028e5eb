"""Steps of the backup round-trip test, run in their own processes against a scratch site:
`python -m chorus.ops.tests.backup_scenario populate|mutate|state`. Each prints JSON."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from typing import Any

import django

TOKEN = "plaintext-token-XYZ"
TOTP = "JBSWY3DPEHPK3PXP"


def populate() -> dict[str, Any]:
    from chorus.accounts.models import User
    from chorus.audit.chain import record
    from chorus.orgs.models import Membership, Organisation, SocialAccount, Workspace
    from chorus.orgs.roles import Role

    org = Organisation.objects.create(name="Acme")
    workspace = Workspace.objects.create(organisation=org, name="Acme Brand")
    for email, role in (("ana@acme.test", Role.OWNER), ("bo@acme.test", Role.EDITOR)):
        user = User.objects.create_user(email, "pw-for-tests-1")
        Membership.objects.create(organisation=org, user=user, role=role)
    ana = User.objects.get(email="ana@acme.test")
    ana.totp_secret = TOTP
    ana.save()
    SocialAccount.objects.create(
        workspace=workspace,
        network="mastodon",
        remote_id="1",
        handle="@acme",
        credentials={"access_token": TOKEN},
    )
    record("test.backup_marker", object_type="test", after={"step": "populate"})
    media = _media()
    (media / "avatars").mkdir(parents=True, exist_ok=True)
    (media / "avatars" / "acme.txt").write_text("original avatar")
    return state()


def mutate() -> dict[str, Any]:
    from django.core.management import call_command

    from chorus.accounts.models import User
    from chorus.orgs.models import Organisation, SocialAccount

    org = Organisation.objects.get(name="Acme")
    org.name = "Renamed"
    org.save()
    User.objects.filter(email="bo@acme.test").delete()
    SocialAccount.objects.all().delete()
    Organisation.objects.create(name="Newco")
    # The old key file must come back with the restore, or the secrets stay unreadable.
    call_command("keys", "rotate", stdout=io.StringIO())
    media = _media()
    (media / "avatars" / "acme.txt").write_text("overwritten")
    (media / "later.txt").write_text("added after the backup")
    return state()


def state() -> dict[str, Any]:
    from chorus.accounts.models import User
    from chorus.audit.chain import verify
    from chorus.audit.models import AuditEvent
    from chorus.orgs.models import Organisation, SocialAccount, Workspace
    from chorus.vault import keys

    result = verify()
    media = _media()
    return {
        "organisations": sorted(Organisation.objects.values_list("name", flat=True)),
        "workspaces": sorted(Workspace.objects.values_list("name", flat=True)),
        "users": sorted(User.objects.values_list("email", flat=True)),
        "totp": [u.totp_secret for u in User.objects.order_by("email")],
        "credentials": [a.credentials for a in SocialAccount.objects.order_by("pk")],
        "audit_actions": list(AuditEvent.objects.order_by("id").values_list("action", flat=True)),
        "audit_ok": result.ok,
        "audit_checked": result.checked,
        "key_file": keys.key_file().read_text(),
        "media": {
            p.relative_to(media).as_posix(): p.read_text()
            for p in sorted(media.rglob("*"))
            if p.is_file()
        }
        if media.exists()
        else {},
    }


def _media() -> Path:
    from django.conf import settings

    return Path(settings.MEDIA_ROOT)


if __name__ == "__main__":
    django.setup()
    step = {"populate": populate, "mutate": mutate, "state": state}[sys.argv[1]]
    print(json.dumps(step()))
