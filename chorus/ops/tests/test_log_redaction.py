"""Review finding: the access log redacts invitation links, but Django's own request log
lines ("Bad Request: /invite/<token>/", "Forbidden (CSRF …): /invite/<token>/") and the
request object attached to them carried a pending invitation's link into the logs."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from io import StringIO

import pytest
from django.conf import settings
from django.test import Client
from django.utils.module_loading import import_string

from chorus.ops.tests.test_logging import formatter
from chorus.orgs.models import Invitation
from chorus.orgs.roles import Role


@pytest.fixture(params=["text", "json"])
def console(request: pytest.FixtureRequest) -> Iterator[StringIO]:
    """A handler like settings.LOGGING's console handler (its formatter and filters),
    writing to a string."""
    config = settings.LOGGING["handlers"]["console"]
    stream = StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter(request.param))
    for name in config["filters"]:
        handler.addFilter(import_string(settings.LOGGING["filters"][name]["()"])())
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield stream
    finally:
        root.removeHandler(handler)


@pytest.fixture
def pending(tenants) -> str:  # type: ignore[no-untyped-def]
    _invitation, raw = Invitation.create(tenants.org, "new@acme.test", Role.EDITOR, None)
    return raw


def test_a_refused_form_does_not_log_the_invitation_link(client, pending, console):
    response = client.post(
        f"/invite/{pending}/",
        {"full_name": "New", "password": "a-Good-passw0rd-here", "password_again": "other"},
    )
    assert response.status_code == 400
    logged = console.getvalue()
    assert "Bad Request: /invite/[redacted]/" in logged
    assert pending not in logged


def test_a_csrf_refusal_does_not_log_the_invitation_link(db, pending, console):
    response = Client(enforce_csrf_checks=True).post(f"/invite/{pending}/", {})
    assert response.status_code == 403
    logged = console.getvalue()
    assert "/invite/[redacted]/" in logged
    assert pending not in logged


def test_other_request_lines_keep_their_path(client, db, console):
    assert client.get("/no-such-page-here/").status_code == 404
    assert "Not Found: /no-such-page-here/" in console.getvalue()
