"""Calling the API as a member of the test organisation."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from chorus.accounts.models import ApiToken


class Api:
    def __init__(self, user: Any) -> None:
        _token, raw = ApiToken.issue(user, "tests", ["read", "write"])
        self.client = Client()
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}

    def call(self, method: str, path: str, body: Any = None) -> Any:
        send = getattr(self.client, method.lower())
        if body is None:
            return send(f"/api/v1{path}", **self.headers)
        return send(
            f"/api/v1{path}", data=json.dumps(body), content_type="application/json", **self.headers
        )
