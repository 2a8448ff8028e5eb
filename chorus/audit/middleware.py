from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from chorus.audit import context


class AuditActorMiddleware:
    """Makes the request (and so its user) known to events recorded during it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = context.current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            context.current_request.reset(token)
