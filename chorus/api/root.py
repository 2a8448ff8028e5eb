"""The REST API root: one NinjaAPI, mounted at /api/v1/, with a router per area."""

from __future__ import annotations

from typing import Any

from django.urls import URLPattern, URLResolver, path
from ninja import NinjaAPI
from ninja.openapi.schema import OpenAPISchema
from ninja.operation import Operation

from chorus.api import docs, errors
from chorus.api.auth import ApiTokenAuth
from chorus.api.routers import (
    accounts,
    audit,
    invitations,
    me,
    members,
    orgs,
    system,
    tokens,
    workspaces,
)
from chorus.api.schemas.common import ERROR_DESCRIPTIONS

DESCRIPTION = """\
Everything the Chorus web interface does, over HTTP.

**Authentication.** Create a personal API token under *Profile → API tokens* (or with
`POST /tokens`) and send it with every request: `Authorization: Bearer chorus_…`.
A token with the `read` scope can look; changes need `write`. A token acts as its owner,
with the owner's role in each organisation.

**Errors** all have one shape: `{"detail": "…", "errors": {"field": ["…"]}}`.
Another organisation's objects answer 404, as if they did not exist.

**Lists** are paged with `limit` and `offset` and answer `{"items": […], "count": n}`.
"""


class ChorusAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation: Operation) -> str:
        # View names are unique across the API and read well in generated clients.
        return operation.view_func.__name__

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                for code, response in operation.get("responses", {}).items():
                    if int(code) in ERROR_DESCRIPTIONS:
                        response["description"] = ERROR_DESCRIPTIONS[int(code)]
        return schema

    def _get_urls(self) -> list[URLResolver | URLPattern]:
        urls: list[URLResolver | URLPattern] = [
            path("docs/assets/<str:name>", docs.asset, name="docs-asset")
        ]
        for url in super()._get_urls():
            if isinstance(url, URLPattern):
                url = URLPattern(
                    url.pattern,
                    errors.json_method_not_allowed(self, url.callback),
                    url.default_args,
                    url.name,
                )
            urls.append(url)
        return urls


api = ChorusAPI(
    title="Chorus API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    auth=ApiTokenAuth(),
    docs=docs.LocalSwagger(),
)
errors.install(api)

for area in (me, tokens, orgs, workspaces, members, invitations, accounts, audit, system):
    api.add_router("", area.router)
api.add_router("", "chorus.publishing.api.posts.router")
api.add_router("", "chorus.publishing.api.actions.router")
api.add_router("", "chorus.publishing.api.queues.router")
api.add_router("", "chorus.connectors.webhook.api.router")
api.add_router("", "chorus.connectors.api.router")
api.add_router("", "chorus.notifications.api.router")
api.add_router("", "chorus.links.api.router")
api.add_router("", "chorus.media.api.router")
api.add_router("", "chorus.publishing.bulk.api.router")
