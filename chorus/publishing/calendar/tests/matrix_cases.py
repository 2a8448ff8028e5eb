"""Permission-matrix rows for the calendar (see chorus/orgs/tests/matrix.py). The targets
are the publishing fixtures' posts (chorus/publishing/tests/matrix_fixtures.py)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from chorus.orgs.tests.matrix import Case


def _ws(t: Any, own: bool) -> str:
    org, workspace = (t.org, t.workspace) if own else (t.other_org, t.other_workspace)
    return f"/o/{org.slug}/w/{workspace.slug}/"


def _events(t: Any, own: bool) -> str:
    return _ws(t, own) + "calendar/events/?start=2030-01-01T00:00:00&end=2030-02-01T00:00:00"


def _move(t: Any, own: bool) -> str:
    post = t.post_scheduled if own else t.other_post_scheduled
    return _ws(t, own) + f"calendar/posts/{post.pk}/move/"


def _next_day(t: Any, own: bool) -> dict[str, Any]:
    # Every test user's zone is UTC: the post's day on their calendar, plus one.
    post = t.post_scheduled if own else t.other_post_scheduled
    return {"date": (post.scheduled_at + timedelta(days=1)).date().isoformat()}


CASES: list[Case] = [
    Case(
        "web:calendar",
        "post.view",
        lambda t, own: _ws(t, own) + "calendar/",
        ok=frozenset({200}),
    ),
    Case("web:calendar_events", "post.view", _events, ok=frozenset({200})),
    Case(
        "web:calendar_move",
        "post.publish",
        _move,
        method="POST",
        data=_next_day,
        ok=frozenset({200}),
    ),
]
