"""Per-account posting slots, pause and daily limit; and campaigns."""

from __future__ import annotations

from datetime import time
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router
from ninja.params import PathEx
from ninja.responses import Status

from chorus.api.lookup import caller, get_or_404, token
from chorus.api.schemas.common import id_param, responses
from chorus.orgs import policy
from chorus.orgs.models import SocialAccount
from chorus.orgs.policy import rule
from chorus.publishing.api.posts import workspace_for
from chorus.publishing.api.schemas import (
    CampaignIn,
    CampaignOut,
    QueueSettingsIn,
    QueueSettingsOut,
)
from chorus.publishing.models import AccountQueue, Campaign, PostingSlot
from chorus.publishing.scheduling import queueing
from chorus.publishing.scheduling.slots import slot_instants

router = Router(tags=["Queues and campaigns"])

AccountId = PathEx[int, id_param("The social account's id.")]
WorkspaceId = PathEx[int, id_param("The workspace's id.")]
UPCOMING = 10


def queue_out(account: SocialAccount) -> dict[str, Any]:
    queue, _created = AccountQueue.objects.get_or_create(account=account)
    slots = list(account.slots.all())
    zone = account.workspace.time_zone
    upcoming = slot_instants([(s.weekday, s.time) for s in slots], zone, timezone.now(), days=14)[
        :UPCOMING
    ]
    return {
        "account_id": account.pk,
        "paused": queue.paused,
        "daily_limit": queue.daily_limit,
        "throttled_until": queue.throttled_until,
        "time_zone": zone,
        "slots": [{"weekday": s.weekday, "time": s.time.strftime("%H:%M")} for s in slots],
        "upcoming": upcoming,
    }


def _account(request: HttpRequest, account_id: int, action: str) -> SocialAccount:
    account = get_or_404(SocialAccount, account_id, "workspace__organisation")
    policy.authorize(caller(request), action, account, token=token(request))
    return account


@router.get(
    "/accounts/{account_id}/queue",
    response=responses({200: QueueSettingsOut}),
    summary="An account's posting slots and queue",
)
@rule("post.view")
def get_queue(request: HttpRequest, account_id: AccountId) -> Any:
    return queue_out(_account(request, account_id, "post.view"))


@router.put(
    "/accounts/{account_id}/queue",
    response=responses({200: QueueSettingsOut}),
    summary="Set an account's posting slots, pause and daily limit",
)
@rule("post.publish")
def put_queue(request: HttpRequest, account_id: AccountId, payload: QueueSettingsIn) -> Any:
    """Slots are weekday × local time in the workspace's zone; they replace the current
    ones. Pausing holds every post of the account until it is resumed."""
    account = _account(request, account_id, "post.publish")
    wanted = {(s.weekday, time.fromisoformat(s.time)) for s in payload.slots}
    with transaction.atomic():
        account.slots.exclude(
            pk__in=[s.pk for s in account.slots.all() if (s.weekday, s.time) in wanted]
        ).delete()
        have = {(s.weekday, s.time) for s in account.slots.all()}
        PostingSlot.objects.bulk_create(
            PostingSlot(account=account, weekday=w, time=t) for w, t in sorted(wanted - have)
        )
        queueing.set_daily_limit(account, payload.daily_limit)
    if payload.paused:
        queueing.pause_queue(account)
    else:
        queueing.resume_queue(account)
    return queue_out(account)


@router.get(
    "/workspaces/{workspace_id}/campaigns",
    response=responses({200: list[CampaignOut]}),
    summary="List campaigns",
)
@rule("post.view")
def list_campaigns(request: HttpRequest, workspace_id: WorkspaceId) -> Any:
    workspace = workspace_for(request, workspace_id, "post.view")
    return list(Campaign.objects.filter(workspace=workspace))


@router.post(
    "/workspaces/{workspace_id}/campaigns",
    response=responses({201: CampaignOut}),
    summary="Create a campaign",
)
@rule("post.create")
def create_campaign(request: HttpRequest, workspace_id: WorkspaceId, payload: CampaignIn) -> Any:
    workspace = workspace_for(request, workspace_id, "post.create")
    name = payload.name.strip()
    if not name:
        raise ValidationError({"name": _("Give the campaign a name.")})
    if Campaign.objects.filter(workspace=workspace, name=name).exists():
        raise ValidationError({"name": _("There is already a campaign with this name.")})
    # A savepoint: a simultaneous twin fails alone, not the caller's whole transaction.
    with transaction.atomic():
        campaign = Campaign.objects.create(
            workspace=workspace,
            name=name,
            utm_campaign=payload.utm_campaign.strip(),
            color=payload.color,
        )
    return Status(201, campaign)
