"""Your personal API tokens."""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router
from ninja.pagination import paginate
from ninja.params import PathEx
from ninja.responses import Status

from chorus.accounts import services
from chorus.accounts.models import ApiToken
from chorus.api.lookup import caller, get_or_404, token
from chorus.api.pagination import Page
from chorus.api.schemas.common import id_param, responses
from chorus.api.schemas.people import TokenCreated, TokenIn, TokenOut
from chorus.orgs import policy
from chorus.orgs.policy import rule

router = Router(tags=["API tokens"])

TokenId = PathEx[int, id_param("The API token's id.")]


@router.get("/tokens", response=responses({200: list[TokenOut]}), summary="List your API tokens")
@paginate(Page)
@rule("self.view")
def list_tokens(request: HttpRequest) -> QuerySet[ApiToken]:
    """Your tokens, newest first, including expired and revoked ones. Secrets are never
    shown again after creation."""
    policy.authorize(caller(request), "self.view", token=token(request))
    return ApiToken.objects.filter(user=caller(request)).order_by("-created_at", "-id")


@router.post("/tokens", response=responses({201: TokenCreated}), summary="Create an API token")
@rule("self.update")
def create_token(request: HttpRequest, payload: TokenIn) -> Status[Any]:
    """Create a token for scripts and integrations. The response holds the secret, once.

    A token can only create tokens with the scopes it has itself."""
    api_token, raw = services.create_token(
        caller(request),
        name=payload.name,
        scopes=[s.value for s in payload.scopes],
        expires_at=payload.expires_at,
        token=token(request),
    )
    api_token.token = raw  # type: ignore[attr-defined]  # shown in this response only
    return Status(201, api_token)


@router.delete("/tokens/{token_id}", response=responses({204: None}), summary="Revoke an API token")
@rule("self.update")
def revoke_token(request: HttpRequest, token_id: TokenId) -> Status[None]:
    """The token stops working at once. Revoking a revoked token changes nothing."""
    api_token = get_or_404(ApiToken, token_id, "user")
    services.revoke_token(caller(request), api_token, token=token(request))
    return Status(204, None)
