"""Connecting Bluesky and Mastodon accounts, and checking an account's health, over the API.

The Mastodon flow needs a browser: the API hands out the instance's authorization
address; the person approves Chorus there and the instance sends them back to Chorus'
web callback, which creates the account in the workspace named here.
"""

from __future__ import annotations

from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.params import PathEx
from ninja.responses import Status

from chorus.api.lookup import caller, get_or_404, token
from chorus.api.schemas.accounts import AccountOut
from chorus.api.schemas.common import NoNul, id_param, limits, responses
from chorus.connectors import health
from chorus.connectors.bluesky.setup import connect_bluesky
from chorus.connectors.mastodon.setup import begin_authorization
from chorus.connectors.web.health_words import health_of
from chorus.connectors.web.views import callback_url
from chorus.orgs import policy
from chorus.orgs.models import SocialAccount, Workspace
from chorus.orgs.policy import rule

router = Router(tags=["Social accounts"])

WorkspaceId = PathEx[int, id_param("The workspace's id.")]
AccountId = PathEx[int, id_param("The social account's id.")]


class BlueskyIn(Schema):
    identifier: Annotated[
        str, limits(253, 1, "The account's handle (alice.bsky.social) or DID."), NoNul
    ]
    app_password: Annotated[
        str,
        limits(100, 1, "An app password made for Chorus in the account's settings."),
        NoNul,
    ]
    service_url: Annotated[
        str,
        limits(
            2000,
            description="The account's PDS or entryway, for accounts not on bsky.social.",
            default="",
        ),
        NoNul,
    ] = ""


class MastodonIn(Schema):
    instance_url: Annotated[
        str, limits(2000, 1, "The Mastodon instance, e.g. https://mastodon.social."), NoNul
    ]


class AuthorizeOut(Schema):
    authorize_url: str = Field(
        description="Open this in the browser of the person who owns the account. After "
        "they approve Chorus, the instance sends them back to Chorus, which connects the "
        "account; the link works for 15 minutes, for the token's owner only."
    )


class AccountHealthOut(AccountOut):
    working: bool = Field(description="Whether the network accepted the credentials just now.")
    health: str = Field(description="The account's state in words, as the accounts page says it.")
    next_step: str = Field(description="What to do next, if anything.")


@router.post(
    "/workspaces/{workspace_id}/accounts/bluesky",
    response=responses({201: AccountOut}),
    summary="Connect a Bluesky account",
)
@rule("account.manage")
def connect_bluesky_account(
    request: HttpRequest, workspace_id: WorkspaceId, payload: BlueskyIn
) -> Any:
    """Signs in with the handle or DID and an app password (never the account's main
    password). Connecting an account that is already in the workspace reconnects it."""
    workspace = get_or_404(Workspace, workspace_id, "organisation")
    account = connect_bluesky(
        caller(request),
        workspace,
        identifier=payload.identifier,
        app_password=payload.app_password,
        service_url=payload.service_url,
        token=token(request),
    )
    return Status(201, account)


@router.post(
    "/workspaces/{workspace_id}/accounts/mastodon/authorize",
    response=responses({200: AuthorizeOut}),
    summary="Start connecting a Mastodon account",
)
@rule("account.manage")
def authorize_mastodon(request: HttpRequest, workspace_id: WorkspaceId, payload: MastodonIn) -> Any:
    """Registers Chorus on the instance (once) and answers the address where the account's
    owner approves Chorus. Reconnecting an account works the same way."""
    workspace = get_or_404(Workspace, workspace_id, "organisation")
    url = begin_authorization(
        caller(request),
        workspace,
        instance_url=payload.instance_url,
        redirect_uri=callback_url(),
        token=token(request),
    )
    return {"authorize_url": url}


@router.post(
    "/accounts/{account_id}/check",
    response=responses({200: AccountHealthOut}),
    summary="Check a social account's health now",
)
@rule("account.manage")
def check_account_health(request: HttpRequest, account_id: AccountId) -> Any:
    """Asks the network whether the stored credentials still work and records the answer:
    last success, last error, and "needs_reconnect" when the network refuses them."""
    account = get_or_404(SocialAccount, account_id, "workspace__organisation")
    policy.authorize(caller(request), "account.manage", account, token=token(request))
    working = health.check_account(account)
    words = health_of(account)
    return {
        **AccountOut.from_orm(account).model_dump(),
        "working": working,
        "health": words.words,
        "next_step": words.next_step,
    }
