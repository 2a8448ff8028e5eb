"""The installation itself, for its administrators."""

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router
from ninja.pagination import paginate

from chorus.api.lookup import caller, token
from chorus.api.pagination import Page
from chorus.api.schemas.common import responses
from chorus.api.schemas.system import WorkerOut
from chorus.orgs import policy
from chorus.orgs.policy import rule
from chorus.workers.models import WorkerHeartbeat

router = Router(tags=["System"])


@router.get(
    "/system/workers", response=responses({200: list[WorkerOut]}), summary="List background workers"
)
@paginate(Page)
@rule("system.view")
def list_workers(request: HttpRequest) -> QuerySet[WorkerHeartbeat]:
    """Worker processes by their last heartbeat, newest first, including stopped ones.
    For the installation's administrators."""
    policy.authorize(caller(request), "system.view", token=token(request))
    return WorkerHeartbeat.objects.order_by("-last_seen", "id")
