"""An API client that authenticates with a personal API token."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from chorus.accounts.models import ApiToken, User

BASE = "/api/v1"


class ApiClient:
    def __init__(
        self,
        user: User | None = None,
        scopes: tuple[str, ...] = ("read", "write"),
        raw_token: str | None = None,
    ) -> None:
        self.client = Client()
        self.user = user
        self.raw = raw_token
        if user is not None and raw_token is None:
            self.token, self.raw = ApiToken.issue(user, "tests", list(scopes))

    def _headers(self) -> dict[str, str]:
        return {"HTTP_AUTHORIZATION": f"Bearer {self.raw}"} if self.raw else {}

    def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        raw: bytes | str | None = None,
        params: dict[str, Any] | None = None,
        **extra: str,
    ) -> Any:
        url = path if path.startswith("/api/") else BASE + path
        send = getattr(self.client, method.lower())
        if method.upper() == "GET":
            return send(url, data=params or {}, **self._headers(), **extra)
        data = raw if raw is not None else (json.dumps(body) if body is not None else "")
        return send(url, data=data, content_type="application/json", **self._headers(), **extra)

    def get(self, path: str, **params: Any) -> Any:
        return self.call("GET", path, params=params)

    def post(self, path: str, body: Any = None, **kw: Any) -> Any:
        return self.call("POST", path, body, **kw)

    def patch(self, path: str, body: Any = None, **kw: Any) -> Any:
        return self.call("PATCH", path, body, **kw)

    def put(self, path: str, body: Any = None, **kw: Any) -> Any:
        return self.call("PUT", path, body, **kw)

    def delete(self, path: str, **kw: Any) -> Any:
        return self.call("DELETE", path, **kw)


@pytest.fixture
def as_role(tenants):
    """as_role("admin") → an ApiClient acting as Acme's admin (read+write token)."""

    def make(role: str, scopes: tuple[str, ...] = ("read", "write")) -> ApiClient:
        return ApiClient(tenants.users[role], scopes)

    return make


@pytest.fixture
def owner(as_role) -> ApiClient:
    return as_role("owner")
