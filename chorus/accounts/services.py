"""Personal settings shared by the web views and the API: profile, second factor, tokens."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

import pyotp
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chorus.accounts.models import ApiToken, User
from chorus.orgs import policy
from chorus.orgs.timezones import validate_time_zone

TOTP_ISSUER = "Chorus"
# Accept the previous and next 30-second step, for clocks that drift a little.
TOTP_WINDOW = 1


@transaction.atomic
def update_profile(
    user: User,
    *,
    full_name: str | None = None,
    language: str | None = None,
    time_zone: str | None = None,
    token: Any = None,
) -> User:
    policy.authorize(user, "self.update", token=token)
    if full_name is not None:
        if len(full_name) > 150:
            raise ValidationError({"full_name": _("Keep the name to 150 characters or fewer.")})
        user.full_name = full_name.strip()
    if language is not None:
        if language not in dict(settings.LANGUAGES):
            raise ValidationError(
                {"language": _("Unsupported language “%(code)s”.") % {"code": language}}
            )
        user.language = language
    if time_zone is not None:
        user.time_zone = validate_time_zone(time_zone)
    user.save()
    return user


# TOTP ----------------------------------------------------------------------------------


def new_totp_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=TOTP_ISSUER)


def _matching_step(secret: str, code: str, at: float | None = None) -> int | None:
    code = (code or "").strip().replace(" ", "")
    if not code.isdigit() or len(code) != 6:
        return None
    totp = pyotp.TOTP(secret)
    now = time.time() if at is None else at
    for offset in range(-TOTP_WINDOW, TOTP_WINDOW + 1):
        moment = now + offset * totp.interval
        if pyotp.utils.strings_equal(totp.at(moment), code):
            return int(moment // totp.interval)
    return None


@transaction.atomic
def enable_totp(user: User, secret: str, code: str) -> None:
    step = _matching_step(secret, code)
    if step is None:
        raise ValidationError(
            {
                "code": _(
                    "That code is not right. Check the time on your "
                    "phone and enter the current 6-digit code."
                )
            }
        )
    user.totp_secret = secret
    user.totp_enabled = True
    user.totp_last_step = step
    user.save()


@transaction.atomic
def disable_totp(user: User, code: str) -> None:
    if not verify_totp(user, code):
        raise ValidationError({"code": _("That code is not right or was already used.")})
    user.totp_secret = ""
    user.totp_enabled = False
    user.totp_last_step = 0
    user.save()


def verify_totp(user: User, code: str, at: float | None = None) -> bool:
    """Check a code and burn its time step, so the same code cannot be replayed."""
    if not user.totp_enabled or not user.totp_secret:
        return False
    step = _matching_step(user.totp_secret, code, at)
    if step is None:
        return False
    with transaction.atomic():
        # Conditional update: of two logins racing with one code, only one wins.
        won = User.objects.filter(pk=user.pk, totp_last_step__lt=step).update(totp_last_step=step)
    if won:
        user.totp_last_step = step
    return bool(won)


# API tokens ----------------------------------------------------------------------------


@transaction.atomic
def create_token(
    user: User,
    *,
    name: str,
    scopes: list[str],
    expires_at: datetime | None = None,
    token: Any = None,
) -> tuple[ApiToken, str]:
    policy.authorize(user, "self.update", token=token)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name, so you recognise it later.")})
    if len(name) > 100:
        raise ValidationError({"name": _("Keep the name to 100 characters or fewer.")})
    unknown = set(scopes) - set(ApiToken.Scope.values)
    if unknown or not scopes:
        raise ValidationError(
            {
                "scopes": _("Scopes must be chosen from: %(scopes)s.")
                % {"scopes": ", ".join(ApiToken.Scope.values)}
            }
        )
    if token is not None and not set(scopes) <= set(token.scopes):
        raise policy.Forbidden(_("A token cannot create a token with more scopes than its own."))
    if expires_at is not None:
        try:
            # Stored in UTC: a late enough moment in a zone behind UTC has no UTC form.
            expires_at.astimezone(UTC)
        except OverflowError as exc:
            raise ValidationError(
                {"expires_at": _("This date is outside the supported range.")}
            ) from exc
        if expires_at <= timezone.now():
            raise ValidationError({"expires_at": _("The expiry must be in the future.")})
    if (
        token is not None
        and token.expires_at is not None
        and (expires_at is None or expires_at > token.expires_at)
    ):
        raise policy.Forbidden(
            _(
                "A token cannot create a token that outlives it: choose an expiry no later "
                "than %(date)s."
            )
            % {"date": token.expires_at.isoformat()}
        )
    return ApiToken.issue(user, name, scopes, expires_at)


@transaction.atomic
def revoke_token(user: User, api_token: ApiToken, token: Any = None) -> ApiToken:
    policy.authorize(user, "self.update", api_token, token=token)
    if api_token.revoked_at is None:
        api_token.revoked_at = timezone.now()
        api_token.save()
    return api_token
