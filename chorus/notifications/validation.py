"""Checks on what people enter for a notification target. Each error names its field."""

from __future__ import annotations

from typing import Any

import apprise
from apprise.manager_plugins import NotificationManager
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from chorus.notifications.models import Event

MAX_URL_LENGTH = 2000
MAX_NAME_LENGTH = 120
# Services that notify the machine Chorus runs on (its desktop, its syslog, a USB light),
# not a person: useless on a server, and a way for one tenant to write into the host's logs.
HOST_LOCAL_SCHEMES = frozenset(
    {"dbus", "kde", "qt", "glib", "gnome", "windows", "macosx", "syslog", "blink1"}
)


def clean_name(name: Any) -> str:
    name = str(name or "").strip()
    if not name:
        raise ValidationError({"name": _("A name is required.")})
    if len(name) > MAX_NAME_LENGTH:
        raise ValidationError(
            {"name": _("Keep the name to %(max)d characters or fewer.") % {"max": MAX_NAME_LENGTH}}
        )
    return name


def clean_url(url: Any) -> str:
    """The URL, stripped, once Apprise has read it; otherwise a ValidationError on "url"
    that says whether the service is unknown or the URL is incomplete."""
    url = str(url or "").strip()
    if not url:
        raise ValidationError({"url": _("Enter an Apprise URL, such as slack://… or mailto://…")})
    if len(url) > MAX_URL_LENGTH:
        raise ValidationError(
            {"url": _("Keep the URL to %(max)d characters or fewer.") % {"max": MAX_URL_LENGTH}}
        )
    scheme, sep, _rest = url.partition("://")
    scheme = scheme.lower()
    if not sep or not scheme:
        raise ValidationError(
            {
                "url": _(
                    "This is not an Apprise URL: it needs a service scheme in front, "
                    "such as slack://, mailto:// or tgram://."
                )
            }
        )
    if scheme not in NotificationManager():
        raise ValidationError(
            {
                "url": _("Apprise has no service called “%(scheme)s://”. Check the spelling.")
                % {"scheme": scheme[:40]}
            }
        )
    if scheme in HOST_LOCAL_SCHEMES:
        raise ValidationError(
            {
                "url": _(
                    "“%(scheme)s://” notifies the server Chorus runs on, not a person; "
                    "choose a service such as e-mail, Slack, Teams or Telegram."
                )
                % {"scheme": scheme}
            }
        )
    try:
        plugin = apprise.Apprise.instantiate(url)
    except Exception:  # Apprise parses anything people type; a crash there is "unreadable".
        plugin = None
    if plugin is None or not plugin.enabled:
        raise ValidationError(
            {
                "url": _(
                    "Apprise cannot read this %(scheme)s:// URL: a part is missing or "
                    "malformed. See the Apprise documentation of this service for its form."
                )
                % {"scheme": scheme}
            }
        )
    return url


def clean_events(events: Any) -> list[str]:
    chosen = [str(e) for e in (events or [])]
    unknown = [e for e in chosen if e not in Event.values]
    if unknown:
        raise ValidationError(
            {
                "events": _("Unknown event “%(event)s”. Choose from: %(choices)s.")
                % {"event": unknown[0][:60], "choices": ", ".join(Event.values)}
            }
        )
    if not chosen:
        raise ValidationError({"events": _("Choose at least one event to be notified of.")})
    # In the order Event lists them, each once.
    return [e for e in Event.values if e in chosen]


def clean_language(language: Any) -> str:
    codes = [code for code, _name in settings.LANGUAGES]
    if language not in codes:
        raise ValidationError(
            {"language": _("Choose one of the languages: %(codes)s.") % {"codes": ", ".join(codes)}}
        )
    return str(language)


def service_name(url: str) -> str:
    """The service's name as Apprise gives it (Slack, E-Mail, Telegram…)."""
    scheme = url.partition("://")[0].lower()
    manager = NotificationManager()
    if scheme in manager:
        return str(manager[scheme].service_name)
    return scheme
