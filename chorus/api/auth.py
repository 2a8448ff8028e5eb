"""API authentication: personal API tokens only (`Authorization: Bearer chorus_…`).

The web UI uses sessions; the API ignores them, so a browser tab cannot be used to
call the API on the user's behalf (and the API needs no CSRF token).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext as _
from ninja.security import HttpBearer

from chorus.accounts.models import ApiToken
from chorus.orgs.policy import NotAuthenticated


class ApiTokenAuth(HttpBearer):
    def __call__(self, request: HttpRequest) -> Any:
        header = request.headers.get(self.header, "").strip()
        if not header:
            raise NotAuthenticated(
                _(
                    "Authentication required: send a personal API token "
                    "as “Authorization: Bearer chorus_…”."
                )
            )
        scheme, _sep, raw = header.partition(" ")
        if scheme.lower() != self.openapi_scheme or not raw.strip():
            raise NotAuthenticated(_("Use the Bearer scheme: “Authorization: Bearer chorus_…”."))
        return self.authenticate(request, raw.strip())

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken:
        api_token = ApiToken.authenticate(token)
        if api_token is None:
            raise NotAuthenticated(refusal(token))
        user = api_token.user
        # Audit events and the policy read the acting user from the request.
        request.user = user
        # The token's owner chose a language; API messages follow it.
        translation.activate(user.language)
        request.LANGUAGE_CODE = translation.get_language()  # type: ignore[attr-defined]
        return api_token


def refusal(raw: str) -> str:
    """Why a token was refused. Only someone holding the secret learns this."""
    known = ApiToken.objects.select_related("user").filter(key_hash=ApiToken.hash(raw)).first()
    if known is None:
        return _("This API token is not valid. Check that you copied all of it.")
    if known.revoked_at is not None:
        return _("This API token was revoked on %(date)s.") % {
            "date": known.revoked_at.date().isoformat()
        }
    if not known.user.is_active:
        return _("The account this API token belongs to is deactivated.")
    expired = known.expires_at.date().isoformat() if known.expires_at else ""
    return _("This API token expired on %(date)s.") % {"date": expired}
