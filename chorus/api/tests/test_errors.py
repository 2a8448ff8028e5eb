"""Bad input gets a 4xx naming what is wrong, in one shape; never a 500."""

import pytest

from chorus.api.schemas.common import MAX_ID
from chorus.orgs.models import Workspace


def test_it_answers_malformed_json_with_400(owner, tenants):
    response = owner.post(f"/orgs/{tenants.org.pk}/workspaces", raw='{"name": "Half')
    assert response.status_code == 400
    body = response.json()
    assert body["detail"].startswith("The request body is not valid JSON")
    assert "line 1" in body["detail"]
    assert body["errors"] == {}


def test_it_answers_a_body_that_is_not_utf8_with_400(owner, tenants):
    response = owner.post(f"/orgs/{tenants.org.pk}/workspaces", raw=b'{"name": "\xff"}')
    assert response.status_code == 400
    assert "UTF-8" in response.json()["detail"]


def test_it_names_the_field_of_a_wrong_type(owner, tenants):
    response = owner.post(f"/orgs/{tenants.org.pk}/workspaces", {"name": ["not", "text"]})
    assert response.status_code == 422
    body = response.json()
    assert list(body["errors"]) == ["name"]
    assert "name" in body["detail"]


def test_it_names_a_missing_field(owner, tenants):
    response = owner.post(f"/orgs/{tenants.org.pk}/workspaces", {"kind": "brand"})
    assert response.status_code == 422
    assert response.json()["errors"] == {"name": ["This field is required."]}


def test_it_refuses_unknown_fields(owner):
    response = owner.patch("/me", {"fullname": "Typo"})
    assert response.status_code == 422
    assert response.json()["errors"] == {"fullname": ["Unknown field; check its spelling."]}


def test_it_refuses_a_body_that_is_not_an_object(owner):
    response = owner.patch("/me", ["full_name"])
    assert response.status_code == 422
    assert response.json()["errors"] == {"body": ["Send a JSON object."]}


def test_it_refuses_the_nul_character(owner):
    response = owner.patch("/me", {"full_name": "Nul\u0000byte"})
    assert response.status_code == 422
    assert "NUL" in response.json()["errors"]["full_name"][0]


def test_it_names_a_bad_choice_with_the_choices(owner, tenants):
    response = owner.post(f"/orgs/{tenants.org.pk}/workspaces", {"name": "X", "kind": "shop"})
    assert response.status_code == 422
    assert "'brand' or 'client'" in response.json()["errors"]["kind"][0]
    assert not Workspace.objects.filter(name="X").exists()


@pytest.mark.parametrize("bad_id", ["0", "-1", "abc", str(MAX_ID + 1)])
def test_it_refuses_ids_that_cannot_exist(owner, bad_id):
    response = owner.get(f"/workspaces/{bad_id}")
    assert response.status_code == 422
    assert "workspace_id" in response.json()["errors"]


def test_it_answers_unknown_ids_with_404(owner):
    response = owner.get(f"/workspaces/{MAX_ID}")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found.", "errors": {}}


def test_it_answers_unknown_paths_with_404(owner):
    assert owner.get("/nothing-here").status_code == 404


@pytest.mark.parametrize(
    ("param", "value"), [("limit", "0"), ("limit", "1000"), ("offset", "-1"), ("limit", "x")]
)
def test_it_bounds_paging(owner, param, value):
    response = owner.get("/orgs", **{param: value})
    assert response.status_code == 422
    assert param in response.json()["errors"]


def test_it_pages_with_a_count(owner, tenants):
    from chorus.orgs.models import Membership

    for n in range(3):
        org = tenants.org.__class__.objects.create(name=f"Org {n}")
        Membership.objects.create(organisation=org, user=tenants.users["owner"], role="owner")
    first = owner.get("/orgs", limit=2).json()
    second = owner.get("/orgs", limit=2, offset=2).json()
    assert first["count"] == second["count"] == 4
    names = [o["name"] for o in first["items"] + second["items"]]
    assert names == ["Acme", "Org 0", "Org 1", "Org 2"]


def test_it_answers_a_wrong_method_in_the_same_shape(owner):
    response = owner.put("/me", {})
    assert response.status_code == 405
    assert set(response["Allow"].replace(" ", "").split(",")) == {"GET", "PATCH"}
    assert "PUT" in response.json()["detail"]


def test_it_asks_for_a_missing_body(owner):
    response = owner.post("/orgs")
    assert response.status_code == 422
    assert response.json()["errors"] == {"body": ["This field is required."]}


@pytest.mark.parametrize("moment", ["9999-12-31T23:59:59-23:59", "0001-01-01T00:00:00+01:00"])
def test_it_refuses_times_that_leave_the_calendar_in_utc(owner, moment):
    response = owner.post("/tokens", {"name": "Edge", "scopes": ["read"], "expires_at": moment})
    assert response.status_code == 422
    assert response.json()["errors"]["expires_at"] == ["This date is outside the supported range."]


def test_a_bug_is_answered_in_the_same_shape_with_the_request_id(owner, monkeypatch):
    from chorus.accounts import services

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(services, "update_profile", broken)
    owner.client.raise_request_exception = False
    response = owner.patch("/me", {"full_name": "Anyone"}, HTTP_X_REQUEST_ID="req-42")
    assert response.status_code == 500
    assert "req-42" in response.json()["detail"]
    assert "a bug" not in response.json()["detail"]
