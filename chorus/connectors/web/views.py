"""The accounts page of a workspace and its actions.

Connecting goes through each network's own service (chorus.connectors.bluesky.setup,
chorus.connectors.mastodon.setup); those check permissions again and raise ValidationError
with a message for the person, shown here on the form it came from.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chorus.connectors import health
from chorus.connectors.bluesky.session import DEFAULT_SERVICE
from chorus.connectors.bluesky.setup import connect_bluesky
from chorus.connectors.credentials import credentials_of
from chorus.connectors.mastodon.setup import begin_authorization, complete_authorization
from chorus.connectors.web.forms import BlueskyForm, MastodonForm
from chorus.connectors.web.health_words import health_of, health_rows
from chorus.orgs import policy, services
from chorus.orgs.models import SocialAccount, Workspace
from chorus.orgs.policy import rule
from chorus.web import scope
from chorus.web.form_errors import add_service_errors

RETURN_KEY = "chorus_mastodon_return"


def callback_url() -> str:
    """Where Mastodon servers send people back: one address for every workspace, since
    it is registered with each server once."""
    return settings.BASE_URL + reverse("web:mastodon_callback")


def _context(workspace: Workspace, **extra: Any) -> dict[str, Any]:
    return {"org": workspace.organisation, "workspace": workspace, **extra}


def _account(workspace: Workspace, account_id: int) -> SocialAccount:
    return get_object_or_404(SocialAccount, pk=account_id, workspace=workspace)


def _to_accounts(workspace: Workspace) -> HttpResponse:
    return redirect("web:accounts", org_slug=workspace.organisation.slug, ws_slug=workspace.slug)


@rule("account.view")
@login_required
def accounts(request: HttpRequest, org_slug: str, ws_slug: str) -> HttpResponse:
    workspace = scope.workspace(request, org_slug, ws_slug, "account.view")
    rows = health_rows(list(workspace.social_accounts.order_by("network", "handle", "pk")))
    return render(
        request,
        "connectors/accounts/list.html",
        _context(
            workspace,
            rows=rows,
            can_manage=policy.can(request.user, "account.manage", workspace),
            can_see_posts=policy.can(request.user, "post.view", workspace),
        ),
    )


def _bluesky_form(
    request: HttpRequest, workspace: Workspace, form: BlueskyForm, account: SocialAccount | None
) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        try:
            connected = connect_bluesky(
                scope.person(request),
                workspace,
                **form.cleaned_data,
                # Reconnecting must not swap in whichever account the password belongs to.
                expected_did=account.remote_id if account else "",
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Bluesky account %(handle)s is connected.") % {"handle": connected.handle},
            )
            return _to_accounts(workspace)
    return render(
        request,
        "connectors/accounts/bluesky_form.html",
        _context(workspace, form=form, account=account),
        status=400 if request.method == "POST" else 200,
    )


@rule("account.manage")
@login_required
def bluesky(request: HttpRequest, org_slug: str, ws_slug: str) -> HttpResponse:
    workspace = scope.workspace(request, org_slug, ws_slug, "account.manage")
    return _bluesky_form(request, workspace, BlueskyForm(request.POST or None), None)


def _mastodon_form(
    request: HttpRequest, workspace: Workspace, form: MastodonForm, account: SocialAccount | None
) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        try:
            authorize_url = begin_authorization(
                scope.person(request),
                workspace,
                instance_url=form.cleaned_data["instance_url"],
                redirect_uri=callback_url(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            # The callback is shared by every workspace: remember where to come back to
            # when the server sends the person back with an error.
            request.session[RETURN_KEY] = reverse(
                "web:accounts", args=[workspace.organisation.slug, workspace.slug]
            )
            return redirect(authorize_url)
    return render(
        request,
        "connectors/accounts/mastodon_form.html",
        _context(workspace, form=form, account=account),
        status=400 if request.method == "POST" else 200,
    )


@rule("account.manage")
@login_required
def mastodon(request: HttpRequest, org_slug: str, ws_slug: str) -> HttpResponse:
    workspace = scope.workspace(request, org_slug, ws_slug, "account.manage")
    return _mastodon_form(request, workspace, MastodonForm(request.POST or None), None)


def bluesky_service_url(account: SocialAccount) -> str:
    """The custom PDS the account was connected through; blank for bsky.social."""
    credentials = credentials_of(account)
    url = str(credentials.get("service") or "")
    return "" if url.rstrip("/") == DEFAULT_SERVICE else url


def bluesky_identifier(account: SocialAccount) -> str:
    """What the person typed when connecting, else the handle the network reported."""
    credentials = credentials_of(account)
    return str(credentials.get("identifier") or account.handle)


def mastodon_instance_url(account: SocialAccount) -> str:
    credentials = credentials_of(account)
    url = credentials.get("instance_url")
    if url:
        return str(url)
    # Disconnected accounts keep no credentials; their id still names the server.
    _id, _at, host = account.remote_id.rpartition("@")
    return f"https://{host}" if host else ""


@rule("account.manage")
@login_required
def reconnect(request: HttpRequest, org_slug: str, ws_slug: str, account_id: int) -> HttpResponse:
    """The account's connect form, filled in: Bluesky asks for a new app password,
    Mastodon sends the person through the server's authorization again."""
    workspace = scope.workspace(request, org_slug, ws_slug, "account.manage")
    account = _account(workspace, account_id)
    if account.network == "bluesky":
        initial = {
            "identifier": bluesky_identifier(account),
            "service_url": bluesky_service_url(account),
        }
        return _bluesky_form(
            request, workspace, BlueskyForm(request.POST or None, initial=initial), account
        )
    if account.network == "mastodon":
        initial = {"instance_url": mastodon_instance_url(account)}
        return _mastodon_form(
            request, workspace, MastodonForm(request.POST or None, initial=initial), account
        )
    raise Http404(_("Accounts of this network are not reconnected here."))


@rule("account.manage")
@login_required
@require_POST
def check(request: HttpRequest, org_slug: str, ws_slug: str, account_id: int) -> HttpResponse:
    workspace = scope.workspace(request, org_slug, ws_slug, "account.manage")
    account = _account(workspace, account_id)
    try:
        works = health.check_account(account)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _to_accounts(workspace)
    words = health_of(account).words
    if works:
        messages.success(request, _("%(handle)s: working.") % {"handle": account.handle})
    else:
        messages.error(request, f"{account.handle}: {words}")
    return _to_accounts(workspace)


@rule("account.manage")
@login_required
def disconnect(request: HttpRequest, org_slug: str, ws_slug: str, account_id: int) -> HttpResponse:
    workspace = scope.workspace(request, org_slug, ws_slug, "account.manage")
    account = _account(workspace, account_id)
    if request.method == "POST":
        services.disconnect_account(scope.person(request), account)
        messages.success(request, _("%(handle)s is disconnected.") % {"handle": account.handle})
        return _to_accounts(workspace)
    return render(
        request,
        "connectors/accounts/disconnect.html",
        _context(workspace, account=account, health=health_of(account)),
    )


@rule("self.update")
@login_required
def mastodon_callback(request: HttpRequest) -> HttpResponse:
    """Where a Mastodon server sends the person back. It is not under a workspace (the
    server knows one address); the pending authorization its `state` names says which."""
    try:
        account = complete_authorization(
            scope.person(request),
            state=request.GET.get("state", ""),
            code=request.GET.get("code", ""),
            error=request.GET.get("error", ""),
        )
    except ValidationError as error:
        return render(
            request,
            "connectors/accounts/mastodon_failed.html",
            {"problems": error.messages, "back": request.session.get(RETURN_KEY, "")},
            status=400,
        )
    request.session.pop(RETURN_KEY, None)
    messages.success(
        request, _("Mastodon account %(handle)s is connected.") % {"handle": account.handle}
    )
    return _to_accounts(account.workspace)
