"""The audit trail of an organisation."""

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.pagination import paginate
from ninja.params import PathEx

from chorus.api.lookup import caller, get_or_404, token
from chorus.api.pagination import Page
from chorus.api.schemas.audit import AuditEventOut, AuditFilter
from chorus.api.schemas.common import MAX_ID, id_param, responses
from chorus.audit.models import AuditEvent
from chorus.orgs import policy
from chorus.orgs.models import Organisation
from chorus.orgs.policy import rule

router = Router(tags=["Audit trail"])

OrgId = PathEx[int, id_param("The organisation's id.")]


def _filtered(events: QuerySet[AuditEvent], filters: AuditFilter) -> QuerySet[AuditEvent]:
    if filters.since and filters.until and filters.since >= filters.until:
        raise ValidationError({"until": _("“until” must be later than “since”.")})
    if filters.action:
        if filters.action.endswith("*"):
            events = events.filter(action__startswith=filters.action[:-1])
        else:
            events = events.filter(action=filters.action)
    if filters.actor:
        actor = filters.actor.strip()
        if actor.isdecimal() and int(actor) <= MAX_ID:
            events = events.filter(actor_id=int(actor))
        else:
            events = events.filter(actor_label__iexact=actor)
    if filters.since:
        events = events.filter(created_at__gte=filters.since)
    if filters.until:
        events = events.filter(created_at__lt=filters.until)
    return events


@router.get(
    "/orgs/{org_id}/audit",
    response=responses({200: list[AuditEventOut]}),
    summary="Read an organisation's audit trail",
)
@paginate(Page)
@rule("audit.view")
def list_audit_events(
    request: HttpRequest, org_id: OrgId, filters: Query[AuditFilter]
) -> QuerySet[AuditEvent]:
    """Who changed what and when, newest first. Each event is sealed with a hash that
    covers the one before it, so removing or altering an event breaks the chain
    (`chorus audit verify` checks it)."""
    org = get_or_404(Organisation, org_id)
    policy.authorize(caller(request), "audit.view", org, token=token(request))
    events = AuditEvent.objects.filter(organisation_id=org.pk)
    return _filtered(events, filters).order_by("-id")
