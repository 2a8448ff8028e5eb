"""Fetching a media file named by URL in an import, safely.

The server, not the person's browser, makes the request, so the URL could point at the
server's own network (a cloud metadata address, an admin port on localhost). Every
address the name resolves to must be a public one, and the connection goes to the
address that was checked (the Host header and TLS name stay those of the URL), so a DNS
answer that changes between check and connect cannot redirect it. Redirects are
followed by hand, each hop checked the same way. Installations that do want to fetch
from their own network (and the tests, which serve files on 127.0.0.1) set
CHORUS_MEDIA_FETCH_PRIVATE = True.

The download is capped in size and time, then checked by content exactly like an upload
(chorus.media.probe), before anything is stored.
"""

from __future__ import annotations

import hashlib
import ipaddress
import socket
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO, Any

import httpx
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from chorus.media.probe import Probe, probe
from chorus.publishing.rules.media import human_size

MAX_REDIRECTS = 5
DEADLINE_SECONDS = 120.0
DEFAULT_MAX_BYTES = 200 * 1024 * 1024
_SPOOL_BYTES = 8 * 1024 * 1024


class FetchError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass
class Fetched:
    url: str
    file: IO[bytes]
    size: int
    sha256: str
    info: Probe
    name: str

    def close(self) -> None:
        self.file.close()


def max_bytes() -> int:
    cap = int(getattr(settings, "CHORUS_MEDIA_FETCH_MAX_BYTES", DEFAULT_MAX_BYTES))
    return min(cap, int(settings.CHORUS_MEDIA_MAX_BYTES))


def fetch(url: str) -> Fetched:
    limit = max_bytes()
    timeout = httpx.Timeout(10.0, read=30.0)
    try:
        with guarded_get(
            url, accept="image/*, video/*", user_agent="Chorus bulk import", timeout=timeout
        ) as (_final_url, response):
            if response.status_code != 200:
                raise FetchError(
                    "media_http_error",
                    _("%(url)s answered with HTTP status %(status)s instead of the file.")
                    % {"url": _short(url), "status": response.status_code},
                )
            return _download(url, response, limit)
    except httpx.HTTPError as exc:
        raise FetchError(
            "media_unreachable",
            _("%(url)s could not be fetched (%(reason)s).")
            % {"url": _short(url), "reason": type(exc).__name__},
        ) from None


@contextmanager
def guarded_get(
    url: str, *, accept: str, user_agent: str, timeout: httpx.Timeout
) -> Iterator[tuple[str, httpx.Response]]:
    """GET a URL someone typed, from the server: redirects are followed by hand so that
    every hop's address is checked (private networks refused unless
    CHORUS_MEDIA_FETCH_PRIVATE) and the connection pinned to the checked address. Gives
    the final URL and the streaming response."""
    allow_private = bool(getattr(settings, "CHORUS_MEDIA_FETCH_PRIVATE", False))
    current = url
    with httpx.Client(timeout=timeout, follow_redirects=False, trust_env=False) as client:
        for _hop in range(MAX_REDIRECTS + 1):
            pinned, host, sni = checked_target(current, allow_private=allow_private)
            extensions: dict[str, Any] = {"sni_hostname": sni} if sni else {}
            headers = {"Host": host, "User-Agent": user_agent, "Accept": accept}
            with client.stream("GET", pinned, headers=headers, extensions=extensions) as response:
                location = response.headers.get("location")
                if response.is_redirect and location:
                    current = str(httpx.URL(current).join(location))
                    continue
                yield current, response
                return
    raise FetchError(
        "media_too_many_redirects",
        _("%(url)s redirects more than %(count)s times.")
        % {"url": _short(url), "count": MAX_REDIRECTS},
    )


def checked_target(url: str, *, allow_private: bool) -> tuple[httpx.URL, str, str]:
    """The URL to connect to (host replaced by a checked address), its Host header, and
    the TLS server name."""
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, ValueError):
        raise FetchError(
            "invalid_media_url", _("“%(url)s” is not a valid URL.") % {"url": _short(url)}
        ) from None
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise FetchError(
            "invalid_media_url",
            _("“%(url)s” is not an http or https address.") % {"url": _short(url)},
        )
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    try:
        addresses = [ipaddress.ip_address(parsed.host)]
        literal = True
    except ValueError:
        literal = False
        try:
            found = socket.getaddrinfo(parsed.host, port, proto=socket.IPPROTO_TCP)
        except (OSError, UnicodeError):
            raise FetchError(
                "media_unreachable",
                _("The server of %(url)s cannot be found.") % {"url": _short(url)},
            ) from None
        addresses = [ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]) for info in found]
    if not addresses:
        raise FetchError(
            "media_unreachable", _("The server of %(url)s cannot be found.") % {"url": _short(url)}
        )
    if not allow_private and not all(a.is_global for a in addresses):
        raise FetchError(
            "media_private_address",
            _("%(url)s points into a private network; Chorus only fetches public addresses.")
            % {"url": _short(url)},
        )
    host_header = parsed.netloc.decode("ascii")
    sni = "" if literal or parsed.scheme != "https" else parsed.host
    return parsed.copy_with(host=str(addresses[0])), host_header, sni


def _download(url: str, response: httpx.Response, limit: int) -> Fetched:
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise _too_large(url, int(declared), limit)
    started = time.monotonic()
    spool: IO[bytes] = tempfile.SpooledTemporaryFile(max_size=_SPOOL_BYTES)  # noqa: SIM115
    digest, size = hashlib.sha256(), 0
    try:
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > limit:
                raise _too_large(url, size, limit)
            if time.monotonic() - started > DEADLINE_SECONDS:
                raise FetchError(
                    "media_too_slow", _("%(url)s took too long to download.") % {"url": _short(url)}
                )
            digest.update(chunk)
            spool.write(chunk)
        spool.seek(0)
        try:
            info = probe(spool, size, max_bytes=limit, max_pixels=settings.CHORUS_MEDIA_MAX_PIXELS)
        except ValidationError as exc:
            reason = getattr(exc, "reason", "unsupported_media")
            raise FetchError(f"media_{reason}", f"{_short(url)}: {exc.messages[0]}") from None
    except BaseException:
        spool.close()
        raise
    spool.seek(0)
    name = httpx.URL(url).path.rsplit("/", 1)[-1] or "media"
    return Fetched(url, spool, size, digest.hexdigest(), info, name[-200:])


def _too_large(url: str, size: int, limit: int) -> FetchError:
    return FetchError(
        "media_too_large",
        _("%(url)s is %(size)s; a fetched file can be at most %(limit)s.")
        % {"url": _short(url), "size": human_size(size), "limit": human_size(limit)},
    )


def _short(url: str) -> str:
    return url if len(url) <= 80 else url[:77] + "…"
