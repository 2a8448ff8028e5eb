"""Connecting a webhook channel through the API."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.params import PathEx
from ninja.responses import Status

from chorus.api.lookup import caller, get_or_404, token
from chorus.api.schemas.accounts import AccountOut
from chorus.api.schemas.common import id_param, limits, responses
from chorus.connectors.webhook.setup import connect_webhook
from chorus.orgs.models import Workspace
from chorus.orgs.policy import rule

router = Router(tags=["Social accounts"])

WorkspaceId = PathEx[int, id_param("The workspace's id.")]


class WebhookIn(Schema):
    name: str = limits(120, 1, "What the channel is called in Chorus.")
    url: str = limits(2000, 1, "Where each post part is POSTed (http or https).")
    status_url: str = limits(
        2000, description="Optional: GET ?webhook_id=… answers 200 or 404.", default=""
    )


class WebhookOut(Schema):
    account: AccountOut
    secret: str = Field(
        description="The Standard Webhooks signing secret. Shown this once; store it now."
    )


@router.post(
    "/workspaces/{workspace_id}/accounts/webhook",
    response=responses({201: WebhookOut}),
    summary="Connect a webhook channel",
)
@rule("account.manage")
def connect(request: HttpRequest, workspace_id: WorkspaceId, payload: WebhookIn) -> Any:
    """Posts sent to this channel are POSTed as JSON signed per Standard Webhooks."""
    workspace = get_or_404(Workspace, workspace_id, "organisation")
    account, secret = connect_webhook(
        caller(request),
        workspace,
        name=payload.name,
        url=payload.url,
        status_url=payload.status_url,
        token=token(request),
    )
    return Status(201, {"account": account, "secret": secret})
