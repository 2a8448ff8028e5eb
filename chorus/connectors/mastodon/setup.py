"""Connecting a Mastodon account: OAuth with the account's own instance.

begin_authorization registers Chorus on the instance (once per instance and callback URL),
remembers a random state and returns the instance's authorize URL; the user approves there
and comes back to the callback, which calls complete_authorization with the state and code.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from typing import Any, cast
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from mastodon import (
    Mastodon,
    MastodonAPIError,
    MastodonError,
    MastodonIllegalArgumentError,
    MastodonNetworkError,
)

from chorus.accounts.models import User
from chorus.connectors.mastodon.client import REQUEST_TIMEOUT, USER_AGENT, api, is_loopback
from chorus.connectors.mastodon.instance import (
    normalize_url,
    read_instance,
    require_public,
    unreachable,
)
from chorus.connectors.mastodon.models import (
    AUTHORIZATION_TTL,
    MastodonApp,
    MastodonAuthorization,
)
from chorus.orgs import policy
from chorus.orgs.models import SocialAccount, Workspace

logger = logging.getLogger(__name__)

APP_NAME = "Chorus"
# Granular scopes (https://docs.joinmastodon.org/api/oauth-scopes/): "profile" reads only
# the user's own account (Mastodon 4.3+); conversations are read with read:statuses.
SCOPES = ("profile", "read:statuses", "read:notifications", "write:statuses", "write:media")
# For servers that refuse a scope above (Mastodon before 4.3, some compatible servers).
FALLBACK_SCOPES = ("read", "write")


def begin_authorization(
    user: User,
    workspace: Workspace,
    *,
    instance_url: str,
    redirect_uri: str,
    token: Any = None,
) -> str:
    """The URL to send the user to, on their instance, to approve Chorus."""
    policy.authorize(user, "account.manage", workspace, token=token)
    url = normalize_url(instance_url)
    read_instance(url)  # refuses servers that are not Mastodon-compatible, before registering
    app = _app_for(url, redirect_uri)
    state = secrets.token_urlsafe(32)
    MastodonAuthorization.objects.filter(created_at__lt=timezone.now() - AUTHORIZATION_TTL).delete()
    MastodonAuthorization.objects.create(
        state=_digest(state), user=user, workspace=workspace, app=app
    )
    client = api(url, client_id=app.client_id, client_secret=app.client_secret)
    try:
        return client.auth_request_url(
            redirect_uris=redirect_uri,
            scopes=app.scopes.split(),
            state=state,
            force_login=True,
            allow_http=is_loopback(url),
        )
    except MastodonError as error:
        logger.warning("Mastodon authorize URL for %s failed: %s", url, error)
        raise ValidationError(
            {
                "instance_url": _(
                    "%(url)s gave no usable authorization address. Check that it is a "
                    "Mastodon instance."
                )
                % {"url": url}
            }
        ) from error


def complete_authorization(
    user: User, *, state: str, code: str = "", error: str = "", token: Any = None
) -> SocialAccount:
    """Finish what begin_authorization started: the instance sent the user back with
    `state` and either a `code` or an `error`."""
    pending = (
        MastodonAuthorization.objects.select_related("app", "workspace")
        .filter(state=_digest(state or ""))
        .first()
    )
    unknown = ValidationError(
        {
            "state": _(
                "This Mastodon authorization is unknown or was already used. "
                "Start connecting the account again."
            )
        }
    )
    if not state or pending is None or pending.user_id != user.pk:
        raise unknown
    # Single use: whoever deletes the row owns the attempt, whatever comes of it.
    deleted, _rows = MastodonAuthorization.objects.filter(pk=pending.pk).delete()
    if not deleted:
        raise unknown
    if pending.expired:
        raise ValidationError(
            {
                "state": _(
                    "This Mastodon authorization expired (it lasts 15 minutes). "
                    "Start connecting the account again."
                )
            }
        )
    policy.authorize(user, "account.manage", pending.workspace, token=token)
    app = pending.app
    url = app.instance_url
    if error:
        if error == "access_denied":
            message = _("Access was denied on %(url)s, so the account was not connected.")
        else:
            message = _("%(url)s did not authorize Chorus (%(error)s).")
        raise ValidationError({"code": message % {"url": url, "error": error[:200]}})
    if not code:
        raise ValidationError(
            {"code": _("%(url)s sent no authorization code back. Try again.") % {"url": url}}
        )
    require_public(url)
    client = api(url, client_id=app.client_id, client_secret=app.client_secret)
    access_token = _exchange(client, app, code)
    try:
        return _connect(client, pending.workspace, url, app, access_token)
    except Exception:
        # Connecting failed after the instance gave a token: leave no live token
        # behind on the instance that Chorus has not stored.
        _revoke(client, url)
        raise


def _connect(
    client: Mastodon, workspace: Workspace, url: str, app: MastodonApp, access_token: str
) -> SocialAccount:
    instance = read_instance(url)
    try:
        me = client.account_verify_credentials()
    except MastodonError as failure:
        logger.warning("Mastodon verify_credentials on %s failed: %s", url, failure)
        raise ValidationError(
            {
                "code": _(
                    "%(url)s did not let Chorus read the account. Try connecting again; if "
                    "it keeps failing, the instance may be having trouble."
                )
                % {"url": url}
            }
        ) from failure
    host = urlsplit(url).netloc
    domain = instance.get("domain") or host
    credentials = {
        "instance_url": url,
        "access_token": access_token,
        "instance": instance,
        "app_id": app.pk,
    }
    with transaction.atomic():
        account, _created = SocialAccount.objects.update_or_create(
            workspace=workspace,
            network="mastodon",
            remote_id=f"{me['id']}@{host}",
            defaults={
                "handle": f"@{me['username']}@{domain}",
                "display_name": str(me.get("display_name") or me["username"])[:255],
                "avatar_url": str(me.get("avatar") or "")[:1000],
                "status": SocialAccount.Status.ACTIVE,
                "last_error": "",
                "last_success_at": timezone.now(),
                "credentials": cast(Any, credentials),
            },
        )
    return account


def _revoke(client: Mastodon, url: str) -> None:
    try:
        client.revoke_access_token(allow_http=is_loopback(url))
    except MastodonError as error:
        # Nothing more to do: the user can revoke it in the instance's settings.
        logger.warning("Could not revoke an unused Mastodon token on %s: %s", url, error)


def _exchange(client: Mastodon, app: MastodonApp, code: str) -> str:
    try:
        return str(
            client.log_in(
                code=code,
                redirect_uri=app.redirect_uri,
                scopes=app.scopes.split(),
                allow_http=is_loopback(app.instance_url),
            )
        )
    except MastodonIllegalArgumentError as error:
        raise ValidationError(
            {
                "code": _(
                    "%(url)s refused the authorization code (it may have expired or been "
                    "used already). Start connecting the account again."
                )
                % {"url": app.instance_url}
            }
        ) from error
    except MastodonNetworkError as error:
        logger.info("Mastodon token exchange on %s: %s", app.instance_url, error.__context__)
        raise unreachable("code", app.instance_url) from error
    except MastodonAPIError as error:
        # Mastodon.py checks that every scope asked for was granted.
        logger.warning("Mastodon token exchange on %s refused: %s", app.instance_url, error)
        raise ValidationError(
            {
                "code": _(
                    "%(url)s did not grant the access Chorus needs (reading and writing "
                    "statuses, media and notifications). Try again and approve all of it."
                )
                % {"url": app.instance_url}
            }
        ) from error


def _app_for(instance_url: str, redirect_uri: str) -> MastodonApp:
    existing = MastodonApp.objects.filter(
        instance_url=instance_url, redirect_uri=redirect_uri
    ).first()
    if existing is not None:
        return existing
    client_id, client_secret, scopes = _register(instance_url, redirect_uri)
    try:
        with transaction.atomic():
            return MastodonApp.objects.create(
                instance_url=instance_url,
                redirect_uri=redirect_uri,
                client_id=client_id,
                client_secret=client_secret,
                scopes=" ".join(scopes),
            )
    except IntegrityError:
        # Another request registered the same app meanwhile; theirs is as good.
        return MastodonApp.objects.get(instance_url=instance_url, redirect_uri=redirect_uri)


def _register(instance_url: str, redirect_uri: str) -> tuple[str, str, tuple[str, ...]]:
    """POST /api/v1/apps. Mastodon.py reads client_id from the answer without looking at
    the status, so a refusal (unknown scope: 422) shows up as a missing key."""
    for scopes in (SCOPES, FALLBACK_SCOPES):
        try:
            client_id, client_secret = Mastodon.create_app(
                APP_NAME,
                scopes=list(scopes),
                redirect_uris=redirect_uri,
                api_base_url=instance_url,
                request_timeout=REQUEST_TIMEOUT,
                user_agent=USER_AGENT,
            )
            return str(client_id), str(client_secret), scopes
        except (KeyError, TypeError) as error:
            logger.info("Mastodon app registration on %s refused: %r", instance_url, error)
        except MastodonNetworkError as error:
            logger.info("Mastodon app registration on %s: %s", instance_url, error.__context__)
            raise unreachable("instance_url", instance_url) from error
    raise ValidationError(
        {
            "instance_url": _(
                "%(url)s refused to register Chorus as an application. The instance may "
                "not allow new applications; ask its administrators."
            )
            % {"url": instance_url}
        }
    )


def _digest(state: str) -> str:
    return hashlib.sha256(state.encode()).hexdigest()
