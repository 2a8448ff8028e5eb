"""Personal API tokens over the API."""

from datetime import timedelta

from django.utils import timezone

from chorus.accounts.models import ApiToken
from chorus.api.tests.conftest import ApiClient


def test_it_shows_the_secret_once(owner):
    response = owner.post("/tokens", {"name": "CI", "scopes": ["read"]})
    assert response.status_code == 201
    body = response.json()
    assert body["token"].startswith("chorus_")
    assert body["scopes"] == ["read"] and body["state"] == "active"
    listed = owner.get("/tokens").json()["items"]
    assert {t["name"] for t in listed} == {"CI", "tests"}
    assert all("token" not in t and "key_hash" not in t for t in listed)
    # The new token works, with its own scopes.
    assert ApiClient(raw_token=body["token"]).get("/me").status_code == 200


def test_it_cannot_create_a_token_with_more_scopes_than_its_own(owner, tenants):
    writer = ApiClient(tenants.users["owner"], scopes=("write",))
    response = writer.post("/tokens", {"name": "Escalate", "scopes": ["read", "write"]})
    assert response.status_code == 403
    assert "more scopes" in response.json()["detail"]
    assert not ApiToken.objects.filter(name="Escalate").exists()


def test_it_refuses_an_expiry_in_the_past(owner):
    past = (timezone.now() - timedelta(days=1)).isoformat()
    response = owner.post("/tokens", {"name": "Old", "scopes": ["read"], "expires_at": past})
    assert response.status_code == 422
    assert "expires_at" in response.json()["errors"]
    assert not ApiToken.objects.filter(name="Old").exists()


def test_it_refuses_empty_scopes_and_names(owner):
    response = owner.post("/tokens", {"name": "", "scopes": []})
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"name", "scopes"}


def test_it_takes_an_expiry_without_offset_as_utc(owner):
    response = owner.post(
        "/tokens", {"name": "Soon", "scopes": ["read"], "expires_at": "2099-01-01T08:00:00"}
    )
    assert response.status_code == 201
    assert response.json()["expires_at"].startswith("2099-01-01T08:00:00")


def test_it_revokes_a_token(owner, tenants):
    other, raw = ApiToken.issue(tenants.users["owner"], "Old laptop", ["read"])
    assert owner.delete(f"/tokens/{other.pk}").status_code == 204
    assert ApiClient(raw_token=raw).get("/me").status_code == 401
    states = {t["name"]: t["state"] for t in owner.get("/tokens").json()["items"]}
    assert states["Old laptop"] == "revoked"


def test_it_hides_other_peoples_tokens(owner, tenants):
    theirs, raw = ApiToken.issue(tenants.users["editor"], "Theirs", ["read"])
    assert owner.delete(f"/tokens/{theirs.pk}").status_code == 404
    assert ApiClient(raw_token=raw).get("/me").status_code == 200
