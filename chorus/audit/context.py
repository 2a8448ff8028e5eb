"""Who is acting and in which request, for events recorded deep inside the app."""

from __future__ import annotations

import contextvars
from typing import Any

current_request: contextvars.ContextVar[Any] = contextvars.ContextVar("audit_request", default=None)
current_actor: contextvars.ContextVar[Any] = contextvars.ContextVar("audit_actor", default=None)
current_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")


def actor() -> Any:
    explicit = current_actor.get()
    if explicit is not None:
        return explicit
    request = current_request.get()
    user = getattr(request, "user", None) if request is not None else None
    if user is not None and getattr(user, "is_authenticated", False):
        return user
    return None
