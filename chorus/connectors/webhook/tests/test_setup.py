from __future__ import annotations

import json

import pytest
from django.test import Client
from standardwebhooks.webhooks import Webhook

from chorus.accounts.models import ApiToken
from chorus.orgs.models import SocialAccount


def _url(t) -> str:  # type: ignore[no-untyped-def]
    return f"/o/{t.org.slug}/w/{t.workspace.slug}/accounts/webhook/new/"


@pytest.mark.django_db
def test_it_connects_a_webhook_and_shows_the_secret_once(tenants) -> None:
    client = Client()
    client.force_login(tenants.users["manager"])
    response = client.post(
        _url(tenants),
        {"name": "n8n", "url": "https://n8n.example.test/hook", "status_url": ""},
    )
    assert response.status_code == 201
    account = SocialAccount.objects.get(network="webhook")
    secret = account.credentials["secret"]
    assert secret.startswith("whsec_") and secret in response.content.decode()
    Webhook(secret)  # a valid Standard Webhooks secret
    assert (
        secret
        not in client.get(f"/o/{tenants.org.slug}/w/{tenants.workspace.slug}/").content.decode()
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("url", "ftp://example.test/hook"),
        ("url", "https://user:pw@example.test/hook"),
        ("url", ""),
        ("status_url", "not a url"),
    ],
)
def test_it_refuses_bad_urls_naming_the_field(tenants, field: str, value: str) -> None:
    _token, raw = ApiToken.issue(tenants.users["manager"], "t", ["read", "write"])
    body = {"name": "hook", "url": "https://example.test/hook", field: value}
    response = Client().post(
        f"/api/v1/workspaces/{tenants.workspace.pk}/accounts/webhook",
        data=json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert response.status_code == 422
    assert field in response.json()["errors"]
    assert not SocialAccount.objects.filter(network="webhook").exists()
