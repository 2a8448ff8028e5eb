from django.db import IntegrityError
from django.test import Client

from chorus.orgs import services


def test_it_answers_a_lost_race_with_a_conflict_page_and_saves_nothing(tenants, monkeypatch):
    owner = tenants.users["owner"]
    client = Client()
    client.force_login(owner)
    before = tenants.org.workspaces.count()

    def collide(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise IntegrityError("duplicate key value violates unique constraint")

    monkeypatch.setattr(services, "create_workspace", collide)
    response = client.post(
        f"/o/{tenants.org.slug}/workspaces/new/",
        {"name": "Launch", "kind": "brand", "time_zone": "UTC"},
    )
    assert response.status_code == 409
    assert "same moment" in response.text
    assert tenants.org.workspaces.count() == before
