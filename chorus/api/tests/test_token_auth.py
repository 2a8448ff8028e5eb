"""Only personal API tokens open the API; each refusal says why."""

from datetime import timedelta

from django.utils import timezone

from chorus.accounts.models import ApiToken
from chorus.api.tests.conftest import ApiClient
from chorus.audit.models import AuditEvent


def test_it_refuses_a_request_without_a_token(tenants):
    response = ApiClient().get("/me")
    assert response.status_code == 401
    assert "Authorization: Bearer" in response.json()["detail"]
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_it_refuses_another_scheme(tenants):
    client = ApiClient()
    response = client.client.get("/api/v1/me", HTTP_AUTHORIZATION="Basic dXNlcjpwdw==")
    assert response.status_code == 401
    assert "Bearer scheme" in response.json()["detail"]


def test_it_refuses_an_unknown_token(tenants):
    response = ApiClient(raw_token="chorus_not-a-real-token").get("/me")
    assert response.status_code == 401
    assert "not valid" in response.json()["detail"]


def test_it_refuses_a_revoked_token(tenants):
    client = ApiClient(tenants.users["editor"])
    ApiToken.objects.filter(pk=client.token.pk).update(revoked_at=timezone.now())
    response = client.get("/me")
    assert response.status_code == 401
    assert "revoked" in response.json()["detail"]


def test_it_refuses_an_expired_token(tenants):
    client = ApiClient(tenants.users["editor"])
    ApiToken.objects.filter(pk=client.token.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    response = client.get("/me")
    assert response.status_code == 401
    assert "expired" in response.json()["detail"]


def test_it_refuses_the_token_of_a_deactivated_user(tenants):
    user = tenants.users["editor"]
    client = ApiClient(user)
    user.is_active = False
    user.save()
    response = client.get("/me")
    assert response.status_code == 401
    assert "deactivated" in response.json()["detail"]


def test_it_ignores_a_logged_in_browser_session(tenants):
    client = ApiClient()
    client.client.force_login(tenants.users["owner"])
    assert client.get("/me").status_code == 401


def test_it_acts_as_the_tokens_owner(tenants):
    response = ApiClient(tenants.users["manager"]).get("/me")
    assert response.status_code == 200
    assert response.json()["email"] == "manager@acme.test"


def test_it_records_when_a_token_was_last_used(tenants):
    client = ApiClient(tenants.users["editor"])
    client.get("/me")
    client.token.refresh_from_db()
    assert client.token.last_used_at is not None


def test_it_refuses_writes_with_a_read_only_token_naming_the_scope(tenants):
    client = ApiClient(tenants.users["owner"], scopes=("read",))
    response = client.patch(f"/orgs/{tenants.org.pk}", {"name": "Renamed"})
    assert response.status_code == 403
    assert "'write' scope" in response.json()["detail"]
    tenants.org.refresh_from_db()
    assert tenants.org.name == "Acme"
    assert client.get(f"/orgs/{tenants.org.pk}").status_code == 200


def test_it_refuses_reads_with_a_write_only_token(tenants):
    client = ApiClient(tenants.users["owner"], scopes=("write",))
    response = client.get(f"/orgs/{tenants.org.pk}")
    assert response.status_code == 403
    assert "'read' scope" in response.json()["detail"]


def test_it_needs_no_csrf_token(tenants):
    client = ApiClient(tenants.users["owner"])
    client.client = type(client.client)(enforce_csrf_checks=True)
    response = client.patch("/me", {"full_name": "Olive Owner"})
    assert response.status_code == 200


def test_it_attributes_audit_events_to_the_tokens_owner(tenants):
    owner = tenants.users["owner"]
    ApiClient(owner).patch(f"/orgs/{tenants.org.pk}", {"name": "Acme Global"})
    event = AuditEvent.objects.filter(action="orgs.organisation.update").last()
    assert event is not None
    assert event.actor_id == owner.pk
    assert event.after == {"name": "Acme Global"}


def test_it_answers_in_the_users_language(tenants):
    user = tenants.users["editor"]
    user.language = "lo"
    user.save()
    response = ApiClient(user).get("/me")
    assert response["Content-Language"] == "lo"
