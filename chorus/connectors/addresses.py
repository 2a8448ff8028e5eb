"""Which servers an account may be connected at.

Connecting an account makes this server send requests to an address someone typed in (a
PDS, a Mastodon instance). Left open, that lets anyone who may connect accounts probe the
installation's own network: a cloud metadata address, an admin port on localhost. So
every address the host name resolves to must be public, unless the installation says it
hosts its servers privately (settings.CHORUS_CONNECT_PRIVATE; loopback counts as
private). The address check itself is the one bulk imports use for media URLs.
"""

from __future__ import annotations

import ipaddress
import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

from chorus.publishing.bulk.media_fetch import FetchError, checked_target

log = logging.getLogger(__name__)


class NotPublic(ValueError):
    """A server address Chorus will not connect to; `message` says why, for the person."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def private_allowed() -> bool:
    return bool(getattr(settings, "CHORUS_CONNECT_PRIVATE", False))


def is_loopback(url: str) -> bool:
    """Whether the URL's host is this machine (localhost, 127.0.0.0/8, ::1): the one place
    a plain http:// address keeps a password off the wire."""
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_public(url: str) -> None:
    """Raise NotPublic unless every address `url`'s host resolves to is public (or private
    servers are allowed here)."""
    if private_allowed():
        return
    try:
        checked_target(url, allow_private=False)
    except FetchError as error:
        log.info("Refused to connect at %s: %s (%s)", url, error.code, error.message)
        if error.code == "media_private_address":
            raise NotPublic(
                _(
                    "%(url)s is on a private network (or this machine). This installation "
                    "only connects accounts at servers with public addresses; the "
                    "administrator can allow private ones with CHORUS_CONNECT_PRIVATE."
                )
                % {"url": _short(url)},
                code="private_address",
            ) from None
        if error.code == "media_unreachable":
            raise NotPublic(
                _("No server named in %(url)s can be found. Check the address.")
                % {"url": _short(url)},
                code="unknown_host",
            ) from None
        raise NotPublic(
            _("“%(url)s” is not a server address (http:// or https://).") % {"url": _short(url)},
            code="invalid_url",
        ) from None


def _short(url: str) -> str:
    return url if len(url) <= 200 else url[:199] + "…"
