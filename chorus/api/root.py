"""The REST API root. Each bounded context adds its router here."""

from __future__ import annotations

from ninja import NinjaAPI

api = NinjaAPI(
    title="Chorus API",
    version="1",
    description="Everything the Chorus UI does, over HTTP. Authenticate with a personal API "
                "token: `Authorization: Bearer chorus_…`.",
    urls_namespace="api",
)
