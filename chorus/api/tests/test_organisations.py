"""Organisations over the API."""

from chorus.api.tests.conftest import ApiClient
from chorus.orgs.models import Membership, Organisation


def test_it_lists_the_callers_organisations_with_their_role(tenants, as_role):
    Membership.objects.create(
        organisation=tenants.other_org, user=tenants.users["editor"], role="analyst"
    )
    items = as_role("editor").get("/orgs").json()["items"]
    assert [(o["name"], o["role"]) for o in items] == [("Acme", "editor"), ("Globex", "analyst")]


def test_it_makes_the_creator_the_owner(tenants):
    newcomer = ApiClient(tenants.other_owner)
    response = newcomer.post("/orgs", {"name": "  Initech  "})
    assert response.status_code == 201
    body = response.json()
    assert (body["name"], body["role"]) == ("Initech", "owner")
    org = Organisation.objects.get(pk=body["id"])
    assert org.memberships.get().user == tenants.other_owner


def test_it_refuses_a_blank_name(owner):
    response = owner.post("/orgs", {"name": "   "})
    assert response.status_code == 422
    assert response.json()["errors"]["name"] == ["A name is required."]
    assert Organisation.objects.count() == 2


def test_it_renames(owner, tenants):
    response = owner.patch(f"/orgs/{tenants.org.pk}", {"name": "Acme Global"})
    assert response.status_code == 200
    assert response.json()["name"] == "Acme Global"
    assert response.json()["slug"] == "acme"


def test_it_hides_another_organisation(owner, tenants):
    for response in (
        owner.get(f"/orgs/{tenants.other_org.pk}"),
        owner.patch(f"/orgs/{tenants.other_org.pk}", {"name": "Mine now"}),
        owner.delete(f"/orgs/{tenants.other_org.pk}"),
    ):
        assert response.status_code == 404
        assert b"Globex" not in response.content
    tenants.other_org.refresh_from_db()
    assert tenants.other_org.name == "Globex"


def test_only_an_owner_deletes(tenants, as_role):
    assert as_role("admin").delete(f"/orgs/{tenants.org.pk}").status_code == 403
    assert as_role("owner").delete(f"/orgs/{tenants.org.pk}").status_code == 204
    assert not Organisation.objects.filter(pk=tenants.org.pk).exists()
