from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from chorus.orgs.policy import organisations_for, rule


@rule("self.view")
@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html", {"organisations": organisations_for(request.user)})
