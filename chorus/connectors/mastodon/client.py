"""Mastodon.py clients set up the way Chorus needs them."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import requests
from django.utils.translation import gettext as _
from mastodon import Mastodon

from chorus.connectors.credentials import credentials_of
from chorus.connectors.errors import AuthError
from chorus.orgs.models import SocialAccount

# Long enough for a video upload on a slow instance; a status post that takes longer is
# reported as an unknown outcome rather than left hanging.
REQUEST_TIMEOUT = 60.0
USER_AGENT = "Chorus (+https://github.com/chorus-social/chorus)"
# Assumed when the instance did not say; it decides only which media endpoint is used
# (/api/v2/media from 3.1.4 on).
DEFAULT_VERSION = "4.0.0"

LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})


def is_loopback(url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return host in LOOPBACK_HOSTS or host.endswith(".localhost")


def api(
    instance_url: str,
    *,
    access_token: str | None = None,
    client_id: str | None = None,
    client_secret: str | None = None,
    version: str = "",
) -> Mastodon:
    """A client that raises instead of sleeping on rate limits (Chorus' engine decides
    when to try again) and that never asks the instance for its version by itself."""
    known = _version(version)
    client = Mastodon(
        api_base_url=instance_url,
        access_token=access_token,
        client_id=client_id,
        client_secret=client_secret,
        ratelimit_method="throw",
        request_timeout=REQUEST_TIMEOUT,
        mastodon_version=known,
        version_check_mode="none",
        session=requests.Session(),
        user_agent=USER_AGENT,
    )
    # With version checks off Mastodon.py does not parse the version it was given, yet
    # still picks endpoints by it (/api/v2/media from 3.1.4).
    major, minor, patch = (int(n) for n in known.split("."))
    client.mastodon_major, client.mastodon_minor, client.mastodon_patch = major, minor, patch
    return client


def client_for(account: SocialAccount) -> Mastodon:
    credentials = credentials_of(account)
    if not credentials.get("instance_url") or not credentials.get("access_token"):
        # Forgotten on disconnect, or never completed: only connecting again helps.
        raise AuthError(_("This Mastodon account has no access token; connect it again."))
    return api(
        credentials["instance_url"],
        access_token=credentials["access_token"],
        version=str((credentials.get("instance") or {}).get("version") or ""),
    )


def _version(value: str) -> str:
    """Mastodon.py wants a plain x.y.z; servers say things like "4.3.0+glitch" or
    "3.0.0 (compatible; Pleroma 2.5.0)"."""
    head = value.split(" ")[0].split("+")[0].split("-")[0]
    numbers = [p for p in head.split(".") if p.isdigit()]
    if len(numbers) >= 2:
        return ".".join([*numbers, "0"][:3])
    return DEFAULT_VERSION


def plain(value: Any) -> Any:
    """Mastodon.py's typed answer as plain JSON-able data (for storing)."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items() if not str(k).startswith("_")}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value
