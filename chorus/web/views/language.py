"""Switching the interface language, for visitors and logged-in people alike."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chorus.accounts import services
from chorus.orgs.policy import public
from chorus.web import scope


@public
@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    language = request.POST.get("language", "")
    if language not in dict(settings.LANGUAGES):
        return HttpResponseBadRequest(
            _("Unsupported language “%(code)s”. Choose one of: %(codes)s.")
            % {"code": language, "codes": ", ".join(dict(settings.LANGUAGES))},
            content_type="text/plain; charset=utf-8",
        )
    # UserLanguageMiddleware reads the session; the profile keeps the choice across logins.
    request.session["language"] = language
    if request.user.is_authenticated:
        services.update_profile(scope.person(request), language=language)
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    return redirect(next_url)
