"""Personal settings: profile, password, two-factor authentication and API tokens."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import ValidationError
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters

from chorus.accounts import services
from chorus.accounts.forms import CodeForm, ProfileForm, TokenForm
from chorus.accounts.models import ApiToken, User
from chorus.orgs import policy
from chorus.orgs.policy import rule
from chorus.orgs.timezones import available
from chorus.web import scope
from chorus.web.form_errors import add_service_errors

# The secret being set up lives in the session until a code proves the app has it.
TOTP_SETUP = "totp_setup_secret"


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


@rule("self.update")
@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    policy.authorize(user, "self.update")
    form = ProfileForm(
        request.POST or None,
        initial={
            "full_name": user.full_name,
            "language": user.language,
            "time_zone": user.time_zone,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_profile(user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
            user.refresh_from_db()
        else:
            request.session["language"] = user.language
            messages.success(request, _("Profile saved."))
            return redirect("web:settings")
    return render(
        request,
        "web/settings_profile.html",
        {"form": form, "zones": sorted(available()), "section": "profile"},
        status=400 if request.method == "POST" else 200,
    )


@rule("self.update")
@login_required
@sensitive_post_parameters("old_password", "new_password1", "new_password2")
def password(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    policy.authorize(user, "self.update")
    form = PasswordChangeForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        # Changing the password logs out other sessions, but keeps this one.
        update_session_auth_hash(request, form.user)
        messages.success(
            request,
            _("Password changed. Other devices where you were logged in need the new password."),
        )
        return redirect("web:settings_password")
    return render(
        request,
        "web/settings_password.html",
        {"form": form, "section": "password"},
        status=400 if request.method == "POST" else 200,
    )


def _qr_svg(data: str) -> str:
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, border=2)
    # Generated here from the provisioning URI, so it is trusted markup.
    return mark_safe(image.to_string(encoding="unicode"))  # noqa: S308


def _grouped(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@rule("self.update")
@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    """Turn the second factor on (scan, then confirm a code) or off (with a code)."""
    user = _user(request)
    policy.authorize(user, "self.update")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and _switch_two_factor(request, user, form):
        return redirect("web:settings_2fa")
    context: dict[str, Any] = {"form": form, "section": "2fa", "enabled": user.totp_enabled}
    if not user.totp_enabled:
        secret = request.session.get(TOTP_SETUP) or services.new_totp_secret()
        request.session[TOTP_SETUP] = secret
        context["qr_svg"] = _qr_svg(services.provisioning_uri(user, secret))
        context["secret"] = _grouped(secret)
    return render(
        request, "web/settings_2fa.html", context, status=400 if request.method == "POST" else 200
    )


def _switch_two_factor(request: HttpRequest, user: User, form: CodeForm) -> bool:
    code = form.cleaned_data["code"]
    try:
        if user.totp_enabled:
            services.disable_totp(user, code)
            messages.success(
                request,
                _("Two-factor authentication is off. Logging in now needs only your password."),
            )
            return True
        secret = request.session.get(TOTP_SETUP, "")
        if not secret:
            form.add_error(None, _("The setup expired. Scan the new QR code and enter its code."))
            return False
        services.enable_totp(user, secret, code)
    except ValidationError as exc:
        add_service_errors(form, exc)
        return False
    request.session.pop(TOTP_SETUP, None)
    messages.success(
        request,
        _(
            "Two-factor authentication is on. From now on, logging in "
            "asks for a code from your app."
        ),
    )
    return True


def _with_state(token: ApiToken) -> ApiToken:
    if token.revoked_at is not None:
        token.state = "revoked"  # type: ignore[attr-defined]
    elif token.expires_at is not None and token.expires_at <= timezone.now():
        token.state = "expired"  # type: ignore[attr-defined]
    else:
        token.state = "active"  # type: ignore[attr-defined]
    return token


def _token_rows(user: User) -> list[ApiToken]:
    tokens = ApiToken.objects.filter(user=user).order_by(
        F("revoked_at").asc(nulls_first=True), "-created_at"
    )
    return [_with_state(token) for token in tokens]


@rule("self.update")
@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    """List, create (POST name, scopes, expires_on) and revoke (POST revoke=id) API tokens."""
    user = _user(request)
    policy.authorize(user, "self.update")
    if request.method == "POST" and "revoke" in request.POST:
        return _revoke_token(request, user)
    form = TokenForm(request.POST or None)
    context: dict[str, Any] = {"section": "tokens", "form": form}
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            expires_at = None
            if form.cleaned_data["expires_on"]:
                expires_at = datetime.combine(
                    form.cleaned_data["expires_on"], time.max, tzinfo=ZoneInfo(user.time_zone)
                )
            try:
                token, raw = services.create_token(
                    user,
                    name=form.cleaned_data["name"],
                    scopes=form.cleaned_data["scopes"],
                    expires_at=expires_at,
                )
            except ValidationError as exc:
                add_service_errors(form, exc, fields={"expires_at": "expires_on"})
            else:
                # The raw token is shown in this response only; the database keeps a hash.
                context.update({"new_token": token, "raw_token": raw, "form": TokenForm()})
                status = 200
    context["tokens"] = _token_rows(user)
    return render(request, "web/settings_tokens.html", context, status=status)


def _revoke_token(request: HttpRequest, user: User) -> HttpResponse:
    try:
        token_id = int(request.POST["revoke"])
    except ValueError:
        token_id = 0
    # Looked up among all tokens, so the policy (not the query) refuses other people's.
    token = get_object_or_404(ApiToken, pk=token_id)
    services.revoke_token(user, token)
    if scope.is_htmx(request):
        return render(
            request,
            "web/partials/token_row.html",
            {"t": _with_state(token), "notice": _("Revoked.")},
        )
    messages.success(
        request,
        _("Token “%(name)s” revoked; programs using it are refused from now on.")
        % {"name": token.name},
    )
    return redirect("web:settings_tokens")
