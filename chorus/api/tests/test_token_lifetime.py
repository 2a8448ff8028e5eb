"""Review finding: a token could not give a new token more scopes than its own, but it
could give it a longer life, so a short-lived (or leaked) token minted one that never
expires."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from chorus.accounts.models import ApiToken
from chorus.api.tests.conftest import ApiClient


def _short_lived(tenants) -> ApiClient:  # type: ignore[no-untyped-def]
    client = ApiClient(tenants.users["owner"])
    client.token.expires_at = timezone.now() + timedelta(hours=1)
    client.token.save()
    return client


def test_a_token_cannot_create_a_token_that_outlives_it(tenants):
    client = _short_lived(tenants)
    for expires in (None, (timezone.now() + timedelta(days=30)).isoformat()):
        body = {"name": "Forever", "scopes": ["read"]}
        if expires:
            body["expires_at"] = expires
        response = client.post("/tokens", body)
        assert response.status_code == 403, response.json()
        assert "outlives" in response.json()["detail"]
    assert not ApiToken.objects.filter(name="Forever").exists()


def test_a_token_can_create_a_token_that_expires_with_it_or_sooner(tenants):
    client = _short_lived(tenants)
    sooner = (timezone.now() + timedelta(minutes=30)).isoformat()
    response = client.post("/tokens", {"name": "Sooner", "scopes": ["read"], "expires_at": sooner})
    assert response.status_code == 201


def test_a_token_without_expiry_still_creates_tokens_without_expiry(owner):
    response = owner.post("/tokens", {"name": "Open", "scopes": ["read"]})
    assert response.status_code == 201
    assert response.json()["expires_at"] is None
