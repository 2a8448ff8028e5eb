"""The calendar page, its JSON event feed, and the drop that reschedules a post."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from chorus.orgs import policy
from chorus.orgs.policy import NotAuthenticated, NotFound, PolicyError, rule
from chorus.publishing.calendar import page
from chorus.publishing.calendar.events import MAX_EVENTS, as_event, posts_in_range
from chorus.publishing.calendar.filters import (
    FilterError,
    Filters,
    parse_filters,
    parse_range,
    viewer_zone,
)
from chorus.publishing.calendar.moves import NotMovable, apply_drop, parse_drop
from chorus.publishing.models import Post
from chorus.publishing.scheduling.errors import ScheduleError
from chorus.publishing.scheduling.zones import LOCAL_FORMAT, from_utc
from chorus.publishing.states import TransitionError
from chorus.web import scope

# Ids beyond PostgreSQL's bigint cannot exist; looking them up would be a database error.
MAX_ID = 2**63 - 1


def _error(status: int, detail: str, field: str | None = None, **extra: Any) -> JsonResponse:
    body: dict[str, Any] = {"detail": detail, "errors": {field: [detail]} if field else {}}
    return JsonResponse({**body, **extra}, status=status)


def answers_in_json(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The feed and the drop are read by the calendar's script, so refusals and bad input
    come back as JSON ({"detail", "errors"}) rather than as an HTML page."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except NotAuthenticated:
            raise
        except (Http404, NotFound):
            # The same words for missing and for someone else's: nothing is revealed.
            return _error(404, _("Not found."))
        except PolicyError as error:
            return _error(error.status, str(error))
        except FilterError as error:
            return JsonResponse(error.as_body(), status=400)
        except ScheduleError as error:
            return _error(422, error.message, error.field, problems=[error.as_dict()])
        except (TransitionError, NotMovable) as error:
            return _error(409, str(error), "state")

    return wrapped


@rule("post.view")
@login_required
@require_GET
def calendar(request: HttpRequest, org_slug: str, ws_slug: str) -> HttpResponse:
    workspace = scope.workspace(request, org_slug, ws_slug, "post.view")
    person = scope.person(request)
    others = policy.workspaces_for(person, workspace.organisation, "post.view").order_by("name")
    chosen = request.GET.get("workspace", "").strip()
    if chosen and chosen != workspace.slug:
        # The workspace switch: the same view and states, in another workspace.
        target = get_object_or_404(others, slug=chosen.replace("\x00", ""))
        url = reverse("web:calendar", args=[workspace.organisation.slug, target.slug])
        keep = {k: request.GET.getlist(k) for k in ("state", "view", "date") if k in request.GET}
        return redirect(f"{url}?{urlencode(keep, doseq=True)}" if keep else url)
    error: FilterError | None = None
    try:
        filters = parse_filters(request.GET, workspace)
        where = page.position(request.GET)
    except FilterError as problem:
        # The page still opens, unfiltered, with the problem named above the calendar.
        filters, where, error = Filters(), page.Position(), problem
    context = page.context(person, workspace, list(others), filters, where)
    context["error"] = error
    return render(request, "publishing/calendar/page.html", context, status=400 if error else 200)


@rule("post.view")
@login_required
@require_GET
@answers_in_json
def calendar_events(request: HttpRequest, org_slug: str, ws_slug: str) -> HttpResponse:
    """The posts of a range as FullCalendar events, on the viewer's wall clock."""
    workspace = scope.workspace(request, org_slug, ws_slug, "post.view")
    person = scope.person(request)
    zone = viewer_zone(request.GET, person.time_zone)
    start, end = parse_range(request.GET, zone)
    filters = parse_filters(request.GET, workspace)
    can_move = policy.can(person, "post.publish", workspace)
    posts = posts_in_range(workspace, start, end, filters)[:MAX_EVENTS]
    return JsonResponse([as_event(p, zone, can_move=can_move) for p in posts], safe=False)


@rule("post.publish")
@login_required
@require_POST
@answers_in_json
def calendar_move(request: HttpRequest, org_slug: str, ws_slug: str, post_id: int) -> HttpResponse:
    """A drop: the new day (`date`) or the new time (`local`) on the viewer's calendar."""
    workspace = scope.workspace(request, org_slug, ws_slug, "post.publish")
    if post_id > MAX_ID:
        raise Http404(post_id)
    post = get_object_or_404(
        Post.objects.select_related("workspace__organisation"), pk=post_id, workspace=workspace
    )
    person = scope.person(request)
    policy.authorize(person, "post.publish", post)
    drop = parse_drop(request.POST, person.time_zone)
    apply_drop(post, drop)
    fresh = Post.objects.select_related("workspace__organisation", "campaign").get(pk=post.pk)
    assert fresh.scheduled_at is not None  # a successful drop always leaves a time
    own = from_utc(fresh.scheduled_at, fresh.time_zone)
    return JsonResponse(
        {
            "detail": _("Moved to %(time)s (%(zone)s).")
            % {"time": own.strftime(LOCAL_FORMAT), "zone": fresh.time_zone},
            "event": as_event(fresh, drop.zone, can_move=True),
        }
    )
