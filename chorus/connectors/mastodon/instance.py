"""Reading what an instance is and what it allows: the check that a URL is a Mastodon
(compatible) server, and the limits Chorus' rules apply to posts for it."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from mastodon import MastodonAPIError, MastodonError, MastodonNetworkError

from chorus.connectors.addresses import NotPublic, check_public
from chorus.connectors.mastodon.client import api, is_loopback, plain

logger = logging.getLogger(__name__)

DEFAULT_MAX_CHARACTERS = 500
# A status' visibility (https://docs.joinmastodon.org/entities/Status/#visibility).
VISIBILITIES = frozenset({"public", "unlisted", "private", "direct"})
# Mastodon's poll limits when the instance does not say (configuration.polls,
# https://docs.joinmastodon.org/entities/Instance/#polls): 4 choices of 50 characters,
# open for 5 minutes to about a month.
POLL_DEFAULTS = {
    "max_options": 4,
    "max_characters_per_option": 50,
    "min_expiration": 300,
    "max_expiration": 2_629_746,
}
# Instances change their limits now and then; what Chorus read is trusted this long.
INSTANCE_MAX_AGE = timedelta(days=1)


def normalize_url(value: str) -> str:
    """The instance's base URL (scheme, host and port), from what the user typed:
    "mastodon.social", "https://mastodon.social/@someone" and so on."""
    value = (value or "").strip()
    if not value:
        raise ValidationError({"instance_url": _("Enter the address of your Mastodon instance.")})
    if "://" not in value:
        value = "https://" + value
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError:
        parts, port = None, None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationError(
            {
                "instance_url": _(
                    "Enter the address of a Mastodon instance, such as https://mastodon.social."
                )
            }
        )
    if parts.username or parts.password:
        raise ValidationError(
            {"instance_url": _("Leave the user name and password out of the instance address.")}
        )
    host = parts.hostname.lower()
    if ":" in host:
        host = f"[{host}]"
    base = f"{parts.scheme}://{host}" + (f":{port}" if port else "")
    if parts.scheme == "http" and not is_loopback(base):
        raise ValidationError(
            {
                "instance_url": _(
                    "Use an https:// address: Chorus only connects to instances over HTTPS "
                    "(plain http is accepted only for this computer's own addresses, for testing)."
                )
            }
        )
    return base


def read_instance(instance_url: str) -> dict[str, Any]:
    """What Chorus keeps about an instance: its version, limits and streaming URL. Reads
    GET /api/v2/instance, or /api/v1/instance on servers without it (Mastodon before
    4.0, and several compatible servers)."""
    require_public(instance_url)
    client = api(instance_url)
    data: Any = None
    try:
        try:
            data = plain(client.instance_v2())
        except MastodonAPIError:
            data = None
        if not _looks_like_instance(data):
            data = plain(client.instance_v1())
    except MastodonNetworkError as error:
        logger.info(
            "Mastodon instance %s unreachable: %s", instance_url, error.__context__ or error
        )
        raise unreachable("instance_url", instance_url) from error
    except MastodonError as error:
        raise _not_mastodon(instance_url) from error
    if not _looks_like_instance(data):
        raise _not_mastodon(instance_url)
    return summary(data, instance_url)


def summary(data: dict[str, Any], instance_url: str) -> dict[str, Any]:
    configuration = data.get("configuration")
    configuration = dict(configuration) if isinstance(configuration, dict) else {}
    statuses = configuration.get("statuses") or {}
    max_characters = statuses.get("max_characters") or data.get("max_toot_chars")
    urls = configuration.get("urls") or data.get("urls") or {}
    return {
        "version": str(data.get("version") or ""),
        "domain": str(data.get("domain") or data.get("uri") or urlsplit(instance_url).netloc),
        "title": str(data.get("title") or ""),
        "max_characters": (
            max_characters
            if isinstance(max_characters, int) and max_characters > 0
            else DEFAULT_MAX_CHARACTERS
        ),
        "configuration": configuration,
        "streaming_url": str(urls.get("streaming") or urls.get("streaming_api") or ""),
        "read_at": timezone.now().isoformat(),
    }


def instance_stale(instance: Any) -> bool:
    """Whether the stored instance summary is missing or older than INSTANCE_MAX_AGE."""
    read_at = instance.get("read_at") if isinstance(instance, dict) else None
    try:
        when = datetime.fromisoformat(str(read_at)) if read_at else None
    except ValueError:
        when = None
    if when is None:
        return True
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return timezone.now() - when > INSTANCE_MAX_AGE


def require_public(url: str) -> None:
    """Refuse an instance whose host resolves to a private, link-local or reserved
    address (unless settings.CHORUS_CONNECT_PRIVATE allows them)."""
    try:
        check_public(url)
    except NotPublic as error:
        raise ValidationError({"instance_url": error.message}, code=error.code) from None


def unreachable(field: str, url: str) -> ValidationError:
    """The message for an instance that did not answer; the cause is logged, not shown."""
    return ValidationError(
        {
            field: _(
                "Could not reach %(url)s. Check the address, or try again later if the "
                "instance is down."
            )
            % {"url": url}
        }
    )


def _looks_like_instance(data: Any) -> bool:
    return (
        isinstance(data, dict)
        and bool(data.get("version"))
        and bool(data.get("domain") or data.get("uri"))
    )


def _not_mastodon(instance_url: str) -> ValidationError:
    return ValidationError(
        {
            "instance_url": _(
                "%(url)s does not answer like a Mastodon server (no instance information at "
                "/api/v2/instance or /api/v1/instance). Check the address."
            )
            % {"url": instance_url}
        }
    )


def poll_limits(instance: Mapping[str, Any] | None) -> dict[str, int]:
    """The instance's poll limits, with Mastodon's defaults for any it leaves out."""
    configuration = (instance or {}).get("configuration")
    polls = configuration.get("polls") if isinstance(configuration, dict) else None
    polls = polls if isinstance(polls, dict) else {}
    return {
        name: polls[name] if isinstance(polls.get(name), int) else default
        for name, default in POLL_DEFAULTS.items()
    }
