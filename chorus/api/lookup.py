"""Loading the objects a request names, and who is asking."""

from __future__ import annotations

from typing import TypeVar, cast

from django.db.models import Model
from django.http import HttpRequest
from django.utils.translation import gettext as _

from chorus.accounts.models import ApiToken, User
from chorus.orgs import policy

M = TypeVar("M", bound=Model)


def get_or_404(model: type[M], pk: int, *related: str) -> M:
    """The object with id `pk`; an unknown id is NotFound, like another tenant's.

    Callers still authorize on the object: loading does not check permissions.
    """
    obj = model._default_manager.select_related(*related).filter(pk=pk).first()
    if obj is None:
        raise policy.NotFound(_("Not found."))
    return obj


def caller(request: HttpRequest) -> User:
    """The token's owner; chorus.api.auth put them on the request."""
    return cast(User, request.user)


def token(request: HttpRequest) -> ApiToken:
    return cast(ApiToken, getattr(request, "auth", None))
