"""Your own profile."""

from django.http import HttpRequest
from ninja import Router

from chorus.accounts import services
from chorus.accounts.models import User
from chorus.api.lookup import caller, token
from chorus.api.schemas.common import responses
from chorus.api.schemas.people import MeIn, MeOut
from chorus.orgs import policy
from chorus.orgs.policy import rule

router = Router(tags=["Profile"])


@router.get("/me", response=responses({200: MeOut}), summary="Show your profile")
@rule("self.view")
def get_me(request: HttpRequest) -> User:
    """The person the API token belongs to."""
    policy.authorize(caller(request), "self.view", token=token(request))
    return caller(request)


@router.patch("/me", response=responses({200: MeOut}), summary="Change your profile")
@rule("self.update")
def update_me(request: HttpRequest, payload: MeIn) -> User:
    """Change your name, language or time zone. Fields left out stay as they are."""
    return services.update_profile(
        caller(request),
        full_name=payload.full_name,
        language=payload.language.value if payload.language else None,
        time_zone=payload.time_zone,
        token=token(request),
    )
