"""Loading the organisation and workspace named in a URL, through the policy.

Objects are looked up by slug and then handed to the policy, which answers NotFound for
other organisations, so a page for someone else's object looks exactly like a missing one.
The current organisation is only remembered on the request (for the header and navigation)
once the person is known to belong to it.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from chorus.accounts.models import User
from chorus.orgs import policy
from chorus.orgs.models import Organisation, Workspace


def _slug(slug: str) -> str:
    # No slug holds a NUL, and PostgreSQL refuses to compare text with one.
    if "\x00" in slug:
        raise Http404(slug)
    return slug


def organisation(request: HttpRequest, slug: str, action: str) -> Organisation:
    org = get_object_or_404(Organisation, slug=_slug(slug))
    # Membership first: a stranger gets NotFound before anything else is decided.
    policy.authorize(request.user, "org.view", org)
    request.organisation = org  # type: ignore[attr-defined]
    policy.authorize(request.user, action, org)
    return org


def workspace(request: HttpRequest, org_slug: str, ws_slug: str, action: str) -> Workspace:
    org = get_object_or_404(Organisation, slug=_slug(org_slug))
    ws = get_object_or_404(Workspace, organisation=org, slug=_slug(ws_slug))
    policy.authorize(request.user, "org.view", org)
    request.organisation = org  # type: ignore[attr-defined]
    policy.authorize(request.user, action, ws)
    request.workspace = ws  # type: ignore[attr-defined]
    return ws


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def person(request: HttpRequest) -> User:
    """The logged-in person; views behind login_required always have one."""
    user = request.user
    if not isinstance(user, User):
        raise policy.NotAuthenticated(_("Log in first."))
    return user
