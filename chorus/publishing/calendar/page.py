"""What the calendar page hands its template and script: the filter choices, the legend,
and FullCalendar's settings (zone, language, first view, the words it shows)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from chorus.accounts.models import User
from chorus.orgs.models import SocialAccount, Workspace
from chorus.publishing.calendar.filters import FilterError, Filters
from chorus.publishing.models import Campaign, PostState, Tag

# The page's own names for FullCalendar's views, as they appear in its URL.
VIEWS = {"month": "dayGridMonth", "week": "timeGridWeek", "list": "listMonth"}


@dataclass(frozen=True)
class Position:
    view: str = "month"
    day: date | None = None


def position(params: QueryDict) -> Position:
    """Which view and which day the page opens on (`view`, `date`)."""
    view = params.get("view", "").strip() or "month"
    if view not in VIEWS:
        raise FilterError(
            "view",
            _("Choose one of these views: %(views)s.") % {"views": ", ".join(VIEWS)},
        )
    raw = params.get("date", "").strip()
    if not raw:
        return Position(view)
    try:
        return Position(view, date.fromisoformat(raw))
    except ValueError:
        raise FilterError("date", _("Enter the day as YYYY-MM-DD.")) from None


def _words() -> dict[str, str]:
    return {
        "today": _("Today"),
        "month": _("Month"),
        "week": _("Week"),
        "list": _("List"),
        "allDay": _("All day"),
        "more": _("more"),
        "noEvents": _("No posts in this period."),
        "loadFailed": _("The calendar could not load its posts. Reload the page to try again."),
        "moving": _("Moving the post…"),
        "moveFailed": _("The post could not be moved. It is back where it was."),
        "offline": _("The server could not be reached. The post was not moved."),
        "first": _("The first time"),
        "second": _("The second time"),
        "calendar": _("Content calendar"),
    }


def context(
    person: User,
    workspace: Workspace,
    workspaces: list[Workspace],
    filters: Filters,
    where: Position,
) -> dict[str, Any]:
    org = workspace.organisation
    zone = person.time_zone or "UTC"
    config = {
        "feedUrl": reverse("web:calendar_events", args=[org.slug, workspace.slug]),
        "timeZone": zone,
        "locale": get_language() or "en",
        "initialView": VIEWS[where.view],
        "initialDate": where.day.isoformat() if where.day else None,
        "views": VIEWS,
        "text": _words(),
    }
    return {
        "org": org,
        "workspace": workspace,
        "workspaces": workspaces,
        "filters": filters,
        "where": where,
        "zone": zone,
        "accounts": SocialAccount.objects.filter(workspace=workspace).order_by("network", "handle"),
        "campaigns": Campaign.objects.filter(workspace=workspace).order_by("name"),
        "tags": Tag.objects.filter(workspace=workspace).order_by("name"),
        "states": PostState.choices,
        "config": config,
    }
