"""Connecting a webhook channel: a URL, an optional status URL, and a signing secret."""

from __future__ import annotations

import base64
import secrets
import uuid
from typing import Any, cast
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from chorus.accounts.models import User
from chorus.orgs import policy
from chorus.orgs.models import SocialAccount, Workspace

NAME_MAX = 120


def new_secret() -> str:
    """A Standard Webhooks secret: `whsec_` and 24 random bytes in base64."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()


def _check_url(value: str, field: str, *, required: bool) -> str:
    value = (value or "").strip()
    if not value:
        if required:
            raise ValidationError({field: _("Enter the URL to send posts to.")})
        return ""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationError({field: _("Enter an http:// or https:// URL.")})
    if parts.username or parts.password:
        # Credentials in a URL end up in logs; the signature authenticates instead.
        raise ValidationError({field: _("Leave the user name and password out of the URL.")})
    if len(value) > 2000:
        raise ValidationError({field: _("Keep the URL to 2,000 characters or fewer.")})
    return value


@transaction.atomic
def connect_webhook(
    user: User,
    workspace: Workspace,
    *,
    name: str,
    url: str,
    status_url: str = "",
    token: Any = None,
) -> tuple[SocialAccount, str]:
    """Connect a webhook channel; return it and its secret (shown to the user once)."""
    policy.authorize(user, "account.manage", workspace, token=token)
    name = (name or "").strip()
    if not name or len(name) > NAME_MAX:
        raise ValidationError({"name": _("Give the webhook a name of 1 to 120 characters.")})
    url = _check_url(url, "url", required=True)
    status_url = _check_url(status_url, "status_url", required=False)
    secret = new_secret()
    account = SocialAccount.objects.create(
        workspace=workspace,
        network="webhook",
        remote_id=uuid.uuid4().hex,
        handle=name,
        display_name=urlsplit(url).hostname or "",
        credentials=cast(Any, {"url": url, "status_url": status_url, "secret": secret}),
    )
    return account, secret
