"""Logging in and out, the second factor, password reset and invitation links.

All of these are reachable without being logged in, so each is marked @public; what
they protect is guarded by django-axes (throttling) and by the services they call.
"""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from chorus.accounts import services
from chorus.accounts.forms import ChorusPasswordResetForm, CodeForm, InviteAcceptForm, LoginForm
from chorus.accounts.models import User
from chorus.orgs import services as org_services
from chorus.orgs.models import Invitation
from chorus.orgs.policy import public
from chorus.orgs.roles import Role
from chorus.web.form_errors import add_service_errors

# Between the password and the code, the person is "pending": not logged in yet.
PENDING = "auth_pending"
# How long the code step may take, and how many wrong codes it allows, before the
# password has to be entered again.
PENDING_MAX_AGE = 300
CODE_ATTEMPTS = 5


def _next_url(request: HttpRequest, candidate: str | None) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("web:home")


def _log_in(request: HttpRequest, user: User) -> None:
    request.session.pop(PENDING, None)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    request.session["language"] = user.language


def _complete_login(request: HttpRequest, user: User, next_url: str) -> HttpResponse:
    _log_in(request, user)
    return HttpResponseRedirect(next_url)


@public
@sensitive_post_parameters("password")
@never_cache
def login_view(request: HttpRequest) -> HttpResponse:
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if request.user.is_authenticated:
        return redirect(_next_url(request, next_url))
    form = LoginForm(request.POST or None)
    error = ""
    status = 200
    if request.method == "POST":
        user = None
        if form.is_valid():
            user = authenticate(
                request,
                email=form.cleaned_data["email"].lower(),
                password=form.cleaned_data["password"],
            )
        if user is not None and user.is_active:
            assert isinstance(user, User)
            if user.totp_enabled:
                # A new session id for the pending login, so one planted before the
                # password step cannot be used to submit codes.
                request.session.cycle_key()
                request.session[PENDING] = {
                    "user_id": user.pk,
                    "started": time.time(),
                    "attempts": 0,
                    "next": next_url,
                }
                return redirect("web:login_code")
            return _complete_login(request, user, _next_url(request, next_url))
        if form.is_valid():
            # Not saying which of the two is wrong keeps addresses of accounts private.
            error = _(
                "That e-mail address and password do not match an account. Check both "
                "and try again; after %(limit)d failed attempts, logging in is paused "
                "for a while."
            ) % {"limit": settings.AXES_FAILURE_LIMIT}
        status = 400
    return render(
        request,
        "accounts/login.html",
        {"form": form, "error": error, "next": next_url},
        status=status,
    )


def _pending_user(request: HttpRequest) -> User | None:
    pending = request.session.get(PENDING)
    if not pending or time.time() - pending.get("started", 0) > PENDING_MAX_AGE:
        return None
    return User.objects.filter(pk=pending.get("user_id"), is_active=True, totp_enabled=True).first()


@public
@never_cache
def login_code(request: HttpRequest) -> HttpResponse:
    """Second step of logging in for people with an authenticator app."""
    user = _pending_user(request)
    if user is None:
        request.session.pop(PENDING, None)
        messages.info(
            request,
            _(
                "Your login took too long or was not started. Enter your "
                "e-mail address and password again."
            ),
        )
        return redirect("web:login")
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        pending = request.session[PENDING]
        credentials = {"email": user.email}
        if not AxesProxyHandler.is_allowed(request, credentials):
            # The lockout covers every pending login of this person, not only the one
            # whose codes caused it; otherwise each password entry buys more guesses.
            request.session.pop(PENDING, None)
            return locked_out(request, credentials=credentials)
        if form.is_valid() and services.verify_totp(user, form.cleaned_data["code"]):
            return _complete_login(request, user, _next_url(request, pending.get("next")))
        pending["attempts"] = pending.get("attempts", 0) + 1
        request.session[PENDING] = pending
        # Wrong codes count as failed logins, for the audit trail and for the lockout.
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
        if pending["attempts"] >= CODE_ATTEMPTS:
            request.session.pop(PENDING, None)
            messages.error(
                request,
                _(
                    "Too many wrong codes. Enter your e-mail address and "
                    "password again to get a new try."
                ),
            )
            return redirect("web:login")
        if form.is_valid():
            form.add_error(
                "code",
                _(
                    "That code is not right, or it was already used. Wait "
                    "for the next code in your authenticator app and enter "
                    "it."
                ),
            )
        status = 400
    return render(request, "accounts/login_code.html", {"form": form}, status=status)


@public
@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    language = request.session.get("language")
    logout(request)
    if language:
        # Logging out should not switch the page to another language.
        request.session["language"] = language
    messages.success(request, _("You are logged out."))
    return redirect("web:login")


def locked_out(
    request: HttpRequest, response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """Shown by django-axes instead of the login page while logins are paused."""
    from axes.helpers import get_client_username, get_cool_off
    from axes.models import AccessAttempt

    cool_off = get_cool_off(request) or timedelta(minutes=15)
    attempts = AccessAttempt.objects.filter(ip_address=getattr(request, "axes_ip_address", None))
    username = get_client_username(request, credentials)
    if username:
        attempts = attempts.filter(username=username)
    last = attempts.order_by("-attempt_time").values_list("attempt_time", flat=True).first()
    retry_at = (last or timezone.now()) + cool_off
    minutes = max(1, int((retry_at - timezone.now()).total_seconds() // 60) + 1)
    return render(
        request,
        "accounts/locked_out.html",
        {
            "retry_at": retry_at,
            "minutes": minutes,
            "limit": settings.AXES_FAILURE_LIMIT,
            "attempts_extend": getattr(
                settings, "AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT", True
            ),
        },
        status=429,
    )


# Password reset: Django's views with our templates and e-mail text -------------------

password_reset = public(
    auth_views.PasswordResetView.as_view(
        template_name="accounts/password_reset_form.html",
        email_template_name="accounts/emails/password_reset.txt",
        subject_template_name="accounts/emails/password_reset_subject.txt",
        form_class=ChorusPasswordResetForm,
        success_url=reverse_lazy("web:password_reset_done"),
        extra_email_context={"base_url": settings.BASE_URL},
    )
)
password_reset_done = public(
    auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html")
)
password_reset_confirm = public(
    auth_views.PasswordResetConfirmView.as_view(
        template_name="accounts/password_reset_confirm.html",
        success_url=reverse_lazy("web:password_reset_complete"),
    )
)
password_reset_complete = public(
    auth_views.PasswordResetCompleteView.as_view(
        template_name="accounts/password_reset_complete.html"
    )
)


# Invitations -------------------------------------------------------------------------


def _invitation_problem(request: HttpRequest, raw: str, exc: ValidationError) -> HttpResponse:
    known = Invitation.objects.filter(token_hash=Invitation.hash(raw)).exists()
    return render(
        request,
        "accounts/invite_problem.html",
        {"message": " ".join(exc.messages)},
        status=410 if known else 404,
    )


@public
@sensitive_post_parameters("password", "password_again")
@never_cache
def invite_accept(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = org_services.find_invitation(token)
    except org_services.InvitationError as exc:
        return _invitation_problem(request, token, exc)
    context: dict[str, Any] = {"invitation": invitation, "role_label": Role(invitation.role).label}
    user = request.user if request.user.is_authenticated else None
    if user is not None:
        assert isinstance(user, User)
        context["wrong_account"] = user.email.lower() != invitation.email
        if request.method == "POST" and not context["wrong_account"]:
            try:
                _user, membership = org_services.accept_invitation(token, user=user)
            except org_services.InvitationError as exc:
                return _invitation_problem(request, token, exc)
            messages.success(request, _("Welcome to %(org)s.") % {"org": invitation.organisation})
            return redirect("web:org", org_slug=membership.organisation.slug)
        return render(
            request,
            "accounts/invite_accept.html",
            context,
            status=409 if context["wrong_account"] and request.method == "POST" else 200,
        )

    if User.objects.filter(email=invitation.email).exists():
        context["login_url"] = (
            f"{reverse('web:login')}?next={reverse('web:invite_accept', args=[token])}"
        )
        return render(request, "accounts/invite_accept.html", context)

    form = InviteAcceptForm(request.POST or None)
    context["form"] = form
    if request.method == "POST" and form.is_valid():
        try:
            new_user, membership = org_services.accept_invitation(
                token,
                password=form.cleaned_data["password"],
                full_name=form.cleaned_data["full_name"].strip(),
            )
        except org_services.InvitationError as exc:
            return _invitation_problem(request, token, exc)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            chosen = request.session.get("language")
            if chosen in dict(settings.LANGUAGES) and chosen != new_user.language:
                # Keep the language they read the invitation page in.
                services.update_profile(new_user, language=chosen)
            _log_in(request, new_user)
            messages.success(
                request,
                _("Welcome to %(org)s. Your account is ready.") % {"org": invitation.organisation},
            )
            return redirect("web:org", org_slug=membership.organisation.slug)
    return render(
        request,
        "accounts/invite_accept.html",
        context,
        status=400 if request.method == "POST" else 200,
    )
