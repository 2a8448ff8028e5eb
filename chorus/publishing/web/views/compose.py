"""The composer: a new post, editing one, the live check as the person types, and
splitting a text into a thread.

Saving is all or nothing: the content is saved in one transaction; then the chosen step
(schedule, queue, publish, submit) runs in another. If that step fails the post stays as
saved, and the form comes back with the reason beside the field it concerns.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chorus.orgs import policy
from chorus.orgs.models import Workspace
from chorus.orgs.policy import rule
from chorus.publishing import states
from chorus.publishing.compose import service
from chorus.publishing.compose.problems import InvalidPost, Problem
from chorus.publishing.models import Post, PostState
from chorus.publishing.scheduling.errors import ScheduleError
from chorus.publishing.web import composer, edits, perform
from chorus.publishing.web.draft import NETWORKS, Draft, from_post, is_id
from chorus.publishing.web.placing import FORM, Placed, place
from chorus.publishing.web.posted import from_data
from chorus.publishing.web.reading import Reading, read
from chorus.publishing.web.views.lookup import post_in
from chorus.web import scope

PAGE = "publishing/compose.html"
# Slots of the "when" fields: their problems only stop the buttons that use the time.
WHEN_SLOTS = ("schedule", "time_zone")
USES_TIME = ("schedule", "submit")
NOT_DONE = {
    "schedule": gettext_lazy("Your changes are saved, but the post was not scheduled."),
    "queue": gettext_lazy("Your changes are saved, but the post was not added to the queue."),
    "next": gettext_lazy("Your changes are saved, but the post was not added to the queue."),
    "now": gettext_lazy("Your changes are saved, but the post was not published."),
    "submit": gettext_lazy("Your changes are saved, but the post was not submitted for approval."),
}


@rule("post.create")
@login_required
def compose(request: HttpRequest, org_slug: str, ws_slug: str) -> HttpResponse:
    ws = scope.workspace(request, org_slug, ws_slug, "post.create")
    if request.method == "POST":
        return _submit(request, ws, None)
    draft = Draft(time_zone=ws.time_zone)
    account = request.GET.get("account", "")
    if is_id(account):
        draft.account_ids = [int(account)]
    reading = read(ws, draft, None)
    return render(request, PAGE, composer.context(request, reading, show_problems=False))


@rule("post.create")
@login_required
def edit(request: HttpRequest, org_slug: str, ws_slug: str, post_id: int) -> HttpResponse:
    ws = scope.workspace(request, org_slug, ws_slug, "post.create")
    post = post_in(request, ws, post_id, "post.create")
    if post.state not in states.EDITABLE:
        messages.info(
            request,
            _("A post that is %(state)s can no longer be edited.")
            % {"state": str(PostState(post.state).label).lower()},
        )
        return redirect("web:post", org_slug=org_slug, ws_slug=ws_slug, post_id=post.pk)
    if request.method == "POST":
        return _submit(request, ws, post)
    reading = read(ws, from_post(post), post)
    return render(request, PAGE, composer.context(request, reading))


@rule("post.create")
@login_required
@require_POST
def check(request: HttpRequest, org_slug: str, ws_slug: str) -> HttpResponse:
    """The live check: counters, every problem and the previews, saving nothing."""
    ws = scope.workspace(request, org_slug, ws_slug, "post.create")
    reading = read(ws, from_data(request.POST), _saved(ws, request.POST.get("post", "")))
    return render(request, "publishing/_check.html", composer.context(request, reading))


@rule("post.create")
@login_required
@require_POST
def split(request: HttpRequest, org_slug: str, ws_slug: str) -> HttpResponse:
    """Split one network's text into a thread and answer with that network's parts."""
    ws = scope.workspace(request, org_slug, ws_slug, "post.create")
    network = request.POST.get("action", "").removeprefix("split:")
    if network not in NETWORKS or not ws.social_accounts.filter(network=network).exists():
        return HttpResponseBadRequest(_("Choose a network of this workspace to split for."))
    draft = from_data(request.POST)
    extra = _split(ws, draft, network)
    reading = read(ws, draft, _saved(ws, request.POST.get("post", "")))
    context = composer.context(request, reading, extra=extra)
    panel = next(p for p in context["panels"] if p.network == network)
    response = render(request, "publishing/_thread.html", {**context, "panel": panel})
    # After the swap the button is gone, so htmx fires this on the body, where the form
    # listens for it and runs the live check: the counters follow the new parts.
    response["HX-Trigger-After-Swap"] = "composer-refresh"
    return response


def _split(ws: Workspace, draft: Draft, network: str) -> list[Placed]:
    accounts = list(ws.social_accounts.filter(pk__in=draft.account_ids))
    error = edits.split(draft, network, accounts, get_language() or "en")
    return [Placed(f"v-{network}-split", error)] if error else []


def _saved(ws: Workspace, raw: str) -> Post | None:
    return Post.objects.filter(workspace=ws, pk=int(raw)).first() if is_id(raw) else None


def _submit(request: HttpRequest, ws: Workspace, post: Post | None) -> HttpResponse:
    draft = from_data(request.POST)
    action = request.POST.get("action", "save")
    use_time = request.POST.get("use_time", "")
    # Buttons that change the form without saving: the page comes back changed.
    if use_time:
        draft.date, draft.time, draft.fold = use_time[:10], use_time[11:16], ""
        return _page(request, read(ws, draft, post))
    if edits.apply(draft, action):
        return _page(request, read(ws, draft, post))
    if action.startswith("split:"):
        network = action.removeprefix("split:")
        extra = _split(ws, draft, network) if network in NETWORKS else []
        return _page(request, read(ws, draft, post), extra=extra)
    if action not in perform.ACTIONS:
        action = "save"
    if action in perform.SCHEDULING:
        policy.authorize(request.user, "post.publish", ws)
    reading = read(ws, draft, post, when_required=action == "schedule")
    blocking = [s for s in draft.errors if action in USES_TIME or s not in WHEN_SLOTS]
    if blocking:
        return _page(request, reading, status=422)
    user = scope.person(request)
    try:
        with transaction.atomic():
            if post is None:
                saved = service.create_post(ws, user, reading.data)
            else:
                saved = service.update_post(post, user, reading.data, version=draft.version)
    except InvalidPost as invalid:
        return _page(request, reading, problems=invalid.problems, status=422)
    try:
        done = perform.run(saved, action, user, reading.when if action in USES_TIME else None)
    except (ScheduleError, states.TransitionError) as error:
        return _not_done(request, ws, draft, saved, action, error)
    messages.success(request, done)
    return redirect("web:post", org_slug=ws.organisation.slug, ws_slug=ws.slug, post_id=saved.pk)


def _not_done(
    request: HttpRequest,
    ws: Workspace,
    draft: Draft,
    saved: Post,
    action: str,
    error: ScheduleError | states.TransitionError,
) -> HttpResponse:
    """The content is saved; the step after it failed. Show the form of the saved post."""
    saved.refresh_from_db()
    draft.version = saved.version
    messages.warning(request, str(NOT_DONE.get(action, _("Your changes are saved."))))
    # Whatever stopped the save was checked already; the time is read again for the page.
    draft.errors = {}
    reading = read(ws, draft, saved)
    if isinstance(error, ScheduleError):
        extra = place([Problem(error.field, error.code, error.message)], reading.data, draft)
    else:
        extra = [Placed(FORM, str(error))]
    return _page(request, reading, extra=extra, status=422)


def _page(
    request: HttpRequest,
    reading: Reading,
    *,
    problems: list[Problem] | None = None,
    extra: list[Placed] | None = None,
    status: int = 200,
) -> HttpResponse:
    context = composer.context(request, reading, problems=problems, extra=extra or [])
    return render(request, PAGE, context, status=status)
