from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.views import redirect_to_login
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chorus.orgs.policy import NotAuthenticated, NotFound, PolicyError
from chorus.web.scope import is_htmx

CONFLICT_MESSAGE = gettext_lazy(
    "Someone else changed this at the same moment, so nothing was saved. Reload the page "
    "and try again."
)


class PolicyErrorMiddleware:
    """Turns a refusal from the policy module into the page a person should see.

    A missing object and another organisation's object get the same 404 page, which
    names nothing, so the two cannot be told apart.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if request.path.startswith("/api/"):
            return None  # the API answers in JSON (chorus/api/errors.py)
        if isinstance(exception, Http404):
            return self._refusal(request, 404, "")
        if isinstance(exception, IntegrityError):
            # Two people changed the same thing at once; the losing request's transaction
            # rolled back, so nothing was half-written and trying again is safe.
            return self._refusal(request, 409, "")
        if not isinstance(exception, PolicyError):
            return None
        if isinstance(exception, NotAuthenticated):
            return redirect_to_login(request.get_full_path())
        if isinstance(exception, NotFound):
            return self._refusal(request, 404, "")
        return self._refusal(request, 403, str(exception))

    def _refusal(self, request: HttpRequest, status: int, detail: str) -> HttpResponse:
        if is_htmx(request):
            if status == 404:
                message = _("That was not found. It may have been deleted.")
            elif status == 409:
                message = str(CONFLICT_MESSAGE)
            else:
                message = detail or _("You are not allowed to do that.")
            return render(request, "web/partials/refusal.html", {"message": message}, status=status)
        return render(request, f"web/{status}.html", {"message": detail}, status=status)
