from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from chorus.orgs.policy import Forbidden, NotAuthenticated, NotFound, PolicyError


class PolicyErrorMiddleware:
    """Turns a refusal from the policy module into the page a person should see."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception
                          ) -> HttpResponse | None:
        if not isinstance(exception, PolicyError):
            return None
        if isinstance(exception, NotAuthenticated):
            return redirect_to_login(request.get_full_path())
        status = 404 if isinstance(exception, NotFound) else 403
        assert isinstance(exception, NotFound | Forbidden)
        return render(request, f"web/{status}.html", {"message": str(exception)}, status=status)
