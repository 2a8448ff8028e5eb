"""The page that connects a webhook channel to a workspace."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from chorus.connectors.webhook.setup import connect_webhook
from chorus.orgs.policy import rule
from chorus.web import scope
from chorus.web.form_errors import add_service_errors


class WebhookForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    url = forms.CharField(label=_("Address (URL)"), max_length=2000)
    status_url = forms.CharField(
        label=_("Status URL"),
        max_length=2000,
        required=False,
        help_text=_(
            "Optional. When a request got no answer, Chorus asks this URL (GET "
            "?webhook_id=…, answered with 200 or 404) before sending it again."
        ),
    )


@rule("account.manage")
@login_required
def connect(request: HttpRequest, org_slug: str, ws_slug: str) -> HttpResponse:
    workspace = scope.workspace(request, org_slug, ws_slug, "account.manage")
    form = WebhookForm(request.POST or None)
    context = {"org": workspace.organisation, "workspace": workspace, "form": form}
    if request.method == "POST" and form.is_valid():
        try:
            account, secret = connect_webhook(scope.person(request), workspace, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            # The secret is shown this once; Chorus keeps it only encrypted.
            return render(
                request,
                "connectors/webhook_connected.html",
                {**context, "account": account, "secret": secret},
                status=201,
            )
    return render(
        request,
        "connectors/webhook_form.html",
        context,
        status=400 if request.method == "POST" else 200,
    )
