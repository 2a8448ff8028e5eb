"""Review finding: the audit log's filters reached the database unchecked, and PostgreSQL
refuses text with a NUL character (a 500 instead of a clear answer)."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("field", ["action", "actor"])
def test_it_refuses_a_nul_character_in_a_filter(client, tenants, field):
    client.force_login(tenants.users["owner"])
    response = client.get(f"/o/{tenants.org.slug}/audit/", {field: "orgs\x00x"})
    assert response.status_code == 400
    assert "This must not contain the NUL character." in response.text


def test_it_still_filters_ordinary_text(client, tenants):
    client.force_login(tenants.users["owner"])
    response = client.get(f"/o/{tenants.org.slug}/audit/", {"actor": "owner@acme"})
    assert response.status_code == 200
