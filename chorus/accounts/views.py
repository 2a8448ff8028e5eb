from __future__ import annotations

from typing import Any

from django.contrib.auth import authenticate, login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from chorus.orgs.policy import public


def locked_out(request: HttpRequest, credentials: Any = None, *args: Any,
               **kwargs: Any) -> HttpResponse:
    return render(request, "accounts/locked_out.html", status=429)


@public
def login_view(request: HttpRequest) -> HttpResponse:
    error = ""
    if request.method == "POST":
        user = authenticate(request, email=request.POST.get("email", ""),
                            password=request.POST.get("password", ""))
        if user is not None:
            login(request, user)
            return redirect("web:home")
        error = _("That e-mail address and password do not match.")
    return render(request, "accounts/login.html", {"error": error})
