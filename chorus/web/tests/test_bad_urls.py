"""Review finding: a NUL character in an organisation or workspace slug reached the
database, which PostgreSQL refuses (a 500 instead of "not found")."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "url", ["/o/%00/", "/o/a%00b/members/", "/o/acme/w/%00/", "/o/acme/w/x%00/edit/"]
)
def test_a_nul_in_a_slug_is_not_found(client, tenants, url):
    client.force_login(tenants.users["owner"])
    response = client.get(url)
    assert response.status_code == 404


def test_real_slugs_still_resolve(client, tenants):
    client.force_login(tenants.users["owner"])
    assert client.get(f"/o/{tenants.org.slug}/w/{tenants.workspace.slug}/").status_code == 200
