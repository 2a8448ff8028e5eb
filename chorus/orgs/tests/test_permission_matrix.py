"""Every endpoint × every role × another organisation's objects.

Fails when an endpoint has no policy rule, and when it has no case here: adding an
endpoint means adding its row to the matrix.
"""

from __future__ import annotations

import hashlib
import json

import pytest
from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from chorus.accounts.models import ApiToken
from chorus.api.root import api
from chorus.orgs.policy import ACTIONS, SELF_ACTIONS, SYSTEM_ACTIONS
from chorus.orgs.roles import Role
from chorus.orgs.tests.matrix import Case, all_cases

CASES: list[Case] = all_cases()
BY_ENDPOINT = {case.endpoint: case for case in CASES}
VOLATILE = {"last_used_at", "last_login", "totp_last_step"}
# Rows that change on their own (worker heartbeats, task queues) are not tenant data.
UNFINGERPRINTED = {"workers", "django_tasks_db"}


def _web_views() -> dict[str, object]:
    found: dict[str, object] = {}

    def walk(patterns: list[object], namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "api":
                    continue
                ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, ns)
            elif isinstance(pattern, URLPattern):
                found[f"{namespace}{pattern.name}"] = pattern.callback

    walk(get_resolver().url_patterns, "")
    return found


def _api_operations() -> dict[str, object]:
    found: dict[str, object] = {}
    for prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            full = "/api/v1/" + "/".join(p.strip("/") for p in (prefix, path) if p.strip("/"))
            for operation in path_view.operations:
                for method in operation.methods:
                    found[f"{method} {full}"] = operation.view_func
    return found


def test_every_endpoint_names_a_policy_rule() -> None:
    unguarded = [
        name
        for name, view in {**_web_views(), **_api_operations()}.items()
        if getattr(view, "policy_action", None) is None
    ]
    assert unguarded == [], f"Endpoints without @rule or @public: {unguarded}"


def test_every_guarded_endpoint_has_a_row_in_the_matrix() -> None:
    endpoints = {**_web_views(), **_api_operations()}
    guarded = {
        name
        for name, view in endpoints.items()
        if getattr(view, "policy_action", "public") != "public"
    }
    missing = sorted(guarded - set(BY_ENDPOINT))
    stale = sorted(set(BY_ENDPOINT) - set(endpoints))
    assert missing == [], f"Add matrix cases for: {missing}"
    assert stale == [], f"Matrix cases for endpoints that no longer exist: {stale}"
    wrong = [
        name
        for name in guarded
        if BY_ENDPOINT[name].action != getattr(endpoints[name], "policy_action", None)
    ]
    assert wrong == [], f"Matrix case action differs from the view's rule: {wrong}"


def _fingerprint() -> str:
    digest = hashlib.sha256()
    for model in apps.get_models():
        if model._meta.app_label in UNFINGERPRINTED:
            continue
        names = [f.attname for f in model._meta.concrete_fields if f.attname not in VOLATILE]
        for row in model._base_manager.order_by("pk").values_list(*names):
            digest.update(json.dumps(row, default=str).encode())
    return digest.hexdigest()


def _client(tenants, role: str | None, case: Case) -> tuple[Client, dict[str, str]]:
    client = Client()
    headers: dict[str, str] = {}
    if role is None:
        return client, headers
    user = tenants.users[role]
    if case.is_api:
        _, raw = ApiToken.issue(user, "matrix", ["read", "write"])
        headers["HTTP_AUTHORIZATION"] = f"Bearer {raw}"
    else:
        client.force_login(user)
    return client, headers


def _request(client: Client, case: Case, tenants, *, own: bool, headers: dict[str, str]):
    url = case.url(tenants, own)
    data = case.data(tenants, own) if case.data else None
    method = getattr(client, case.method.lower())
    if case.is_api and data is not None:
        return method(url, data=json.dumps(data), content_type="application/json", **headers)
    if data is not None:
        return method(url, data=data, **headers)
    return method(url, **headers)


def _allowed(case: Case, role: str) -> bool:
    if case.action in SELF_ACTIONS:
        return True
    if case.action in SYSTEM_ACTIONS:
        return False  # no role grants it; only superusers, tested where they are defined
    return role in ACTIONS[case.action].roles


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.endpoint)
def test_anonymous_is_turned_away(tenants, case: Case) -> None:
    client, headers = _client(tenants, None, case)
    before = _fingerprint()
    response = _request(client, case, tenants, own=True, headers=headers)
    if case.is_api:
        assert response.status_code == 401
    else:
        assert response.status_code == 302 and "/login/" in response["Location"]
    assert _fingerprint() == before


@pytest.mark.parametrize("role", [r.value for r in Role])
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.endpoint)
def test_role_gets_exactly_what_the_policy_allows(tenants, case: Case, role: str) -> None:
    client, headers = _client(tenants, role, case)
    if case.cross_tenant:
        before = _fingerprint()
        response = _request(client, case, tenants, own=False, headers=headers)
        assert response.status_code == 404, (
            f"{role} reached another organisation's object: {response.status_code}"
        )
        assert b"Globex" not in response.content
        assert _fingerprint() == before, "a refused request changed data"

    before = _fingerprint()
    response = _request(client, case, tenants, own=True, headers=headers)
    if _allowed(case, role):
        assert response.status_code in case.ok, (
            f"{role} refused: {response.status_code} {response.content[:300]!r}"
        )
    else:
        assert response.status_code == 403, f"{role} got {response.status_code}"
        assert _fingerprint() == before, "a refused request changed data"
