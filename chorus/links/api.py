"""UTM presets, short links and their clicks over the API."""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router
from ninja.pagination import paginate
from ninja.params import P, PathEx, QueryEx
from ninja.responses import Status

from chorus.api.lookup import caller, get_or_404, token
from chorus.api.pagination import Page
from chorus.api.schemas.common import MAX_ID, id_param, responses, text_param
from chorus.links import presets
from chorus.links.clicks import daily_counts
from chorus.links.models import ShortLink, UtmPreset
from chorus.links.schemas import (
    LinkClicksOut,
    ShortLinkOut,
    UtmPresetIn,
    UtmPresetOut,
    UtmPresetPatch,
)
from chorus.orgs import policy
from chorus.orgs.models import Workspace
from chorus.orgs.policy import rule

router = Router(tags=["Links"])

WorkspaceId = PathEx[int, id_param("The workspace's id.")]
PresetId = PathEx[int, id_param("The UTM preset's id.")]
LinkId = PathEx[int, id_param("The short link's id.")]
# Fields whose null means "leave as it is" in a PATCH; campaign_id's null clears it.
_KEEP_WHEN_NULL = ("name", "utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content")


def _workspace(request: HttpRequest, workspace_id: int, action: str) -> Workspace:
    workspace = get_or_404(Workspace, workspace_id, "organisation")
    policy.authorize(caller(request), action, workspace, token=token(request))
    return workspace


def _preset(workspace: Workspace, preset_id: int) -> UtmPreset:
    preset = UtmPreset.objects.filter(workspace=workspace, pk=preset_id).first()
    if preset is None:
        raise policy.NotFound(_("Not found."))
    return preset


@router.get(
    "/workspaces/{workspace_id}/utm-presets",
    response=responses({200: list[UtmPresetOut]}),
    summary="List a workspace's UTM presets",
)
@paginate(Page)
@rule("workspace.view")
def list_utm_presets(request: HttpRequest, workspace_id: WorkspaceId) -> QuerySet[UtmPreset]:
    """The default first, then by name. A post uses its campaign's preset if there is
    one, else the default; parameters a link already carries are kept."""
    workspace = _workspace(request, workspace_id, "workspace.view")
    return UtmPreset.objects.filter(workspace=workspace)


@router.post(
    "/workspaces/{workspace_id}/utm-presets",
    response=responses({201: UtmPresetOut}),
    summary="Create a UTM preset",
)
@rule("workspace.update")
def create_utm_preset(
    request: HttpRequest, workspace_id: WorkspaceId, payload: UtmPresetIn
) -> Status[Any]:
    """Templates may use the placeholders {network}, {account}, {campaign}, {post_id}
    and {workspace}; an unknown one is refused with the field it is in."""
    workspace = _workspace(request, workspace_id, "workspace.update")
    preset = presets.create_preset(
        caller(request), workspace, token=token(request), **payload.model_dump()
    )
    return Status(201, preset)


@router.patch(
    "/workspaces/{workspace_id}/utm-presets/{preset_id}",
    response=responses({200: UtmPresetOut}),
    summary="Change a UTM preset",
)
@rule("workspace.update")
def update_utm_preset(
    request: HttpRequest, workspace_id: WorkspaceId, preset_id: PresetId, payload: UtmPresetPatch
) -> UtmPreset:
    """Fields left out stay as they are."""
    workspace = _workspace(request, workspace_id, "workspace.update")
    preset = _preset(workspace, preset_id)
    sent = payload.model_dump(include=payload.model_fields_set)
    changes = {
        field: value
        for field, value in sent.items()
        if value is not None or field not in (*_KEEP_WHEN_NULL, "is_default")
    }
    return presets.update_preset(caller(request), preset, token=token(request), **changes)


@router.delete(
    "/workspaces/{workspace_id}/utm-presets/{preset_id}",
    response=responses({204: None}),
    summary="Delete a UTM preset",
)
@rule("workspace.update")
def delete_utm_preset(
    request: HttpRequest, workspace_id: WorkspaceId, preset_id: PresetId
) -> Status[None]:
    """Links already published keep the parameters they were posted with."""
    workspace = _workspace(request, workspace_id, "workspace.update")
    presets.delete_preset(caller(request), _preset(workspace, preset_id), token=token(request))
    return Status(204, None)


@router.get(
    "/workspaces/{workspace_id}/short-links",
    response=responses({200: list[ShortLinkOut]}),
    summary="List a workspace's short links with their clicks",
)
@paginate(Page)
@rule("report.view")
def list_short_links(
    request: HttpRequest,
    workspace_id: WorkspaceId,
    post_id: QueryEx[int | None, P(ge=1, le=MAX_ID, description="Only this post's links.")] = None,
    network: QueryEx[
        str | None, text_param("Only links posted to this network, e.g. mastodon.", 30)
    ] = None,
) -> QuerySet[ShortLink]:
    """Newest first. Clicks count people only: known bots, crawlers and link previews
    (Slackbot, Twitterbot, facebookexternalhit...) and HEAD requests are not counted."""
    workspace = _workspace(request, workspace_id, "report.view")
    links = ShortLink.objects.filter(workspace=workspace)
    if post_id is not None:
        links = links.filter(post_id=post_id)
    if network is not None:
        links = links.filter(network=network)
    return links.order_by("-created_at", "-pk")


@router.get(
    "/short-links/{link_id}/clicks",
    response=responses({200: LinkClicksOut}),
    summary="Count a short link's clicks per day",
)
@rule("report.view")
def get_short_link_clicks(
    request: HttpRequest,
    link_id: LinkId,
    since: QueryEx[date | None, P(description="First day to count (inclusive).")] = None,
    until: QueryEx[date | None, P(description="Last day to count (inclusive).")] = None,
) -> dict[str, Any]:
    """Days are those of the workspace's time zone."""
    link = get_or_404(ShortLink, link_id, "workspace__organisation")
    policy.authorize(caller(request), "report.view", link, token=token(request))
    if since is not None and until is not None and since > until:
        raise ValidationError({"until": _("“until” must not be before “since”.")})
    days = daily_counts(link, since=since, until=until)
    return {
        "link_id": link.pk,
        "time_zone": link.workspace.time_zone,
        "total": sum(day["clicks"] for day in days),
        "days": days,
    }
