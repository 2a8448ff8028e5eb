"""Notification targets over the API: the URL can be set, never read back."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from chorus.accounts.models import ApiToken
from chorus.notifications.models import NotificationTarget

pytestmark = pytest.mark.django_db
SECRET_URL = "mailtos://robot:app-password-123@example.com?to=team@example.com"


@pytest.fixture
def api(tenants):
    _token, raw = ApiToken.issue(tenants.users["admin"], "notify", ["read", "write"])
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")

    def call(method: str, path: str, body: dict | None = None):
        kwargs = {"content_type": "application/json"}
        if body is not None:
            kwargs["data"] = json.dumps(body)
        return getattr(client, method)(f"/api/v1{path}", **kwargs)

    return call


def test_a_target_is_created_and_listed_with_its_url_masked(tenants, api) -> None:
    path = f"/workspaces/{tenants.workspace.pk}/notification-targets"

    created = api(
        "post",
        path,
        {"name": "E-mail", "url": SECRET_URL, "events": ["daily_summary"], "language": "lo"},
    )
    listed = api("get", path)

    assert created.status_code == 201
    body = created.json()
    assert body["url_masked"] == "mailtos://…"
    assert body["service"] == "E-Mail"
    assert (body["events"], body["language"], body["enabled"]) == (["daily_summary"], "lo", True)
    assert "app-password-123" not in created.content.decode()
    assert "app-password-123" not in listed.content.decode()
    assert [t["name"] for t in listed.json()["items"]] == ["Acme alerts", "E-mail"]
    assert NotificationTarget.objects.get(pk=body["id"]).url == SECRET_URL


def test_an_unreadable_url_is_a_422_on_url(tenants, api) -> None:
    response = api(
        "post",
        f"/workspaces/{tenants.workspace.pk}/notification-targets",
        {"name": "Bad", "url": "tgram://nope", "events": ["post_failed"]},
    )

    assert response.status_code == 422
    assert "cannot read this tgram:// URL" in response.json()["errors"]["url"][0]


def test_an_unknown_language_is_a_422_on_language(tenants, api) -> None:
    response = api(
        "post",
        f"/workspaces/{tenants.workspace.pk}/notification-targets",
        {"name": "Bad", "url": SECRET_URL, "events": ["post_failed"], "language": "fr"},
    )

    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["language"]


def test_patch_changes_only_what_is_sent(tenants, api) -> None:
    target = tenants.notification_target

    response = api("patch", f"/notification-targets/{target.pk}", {"enabled": True})

    assert response.status_code == 200
    target.refresh_from_db()
    assert target.enabled and target.name == "Acme alerts"
    assert target.url == "json://127.0.0.1:9/chorus-matrix"


def test_the_test_operation_reports_the_outcome(tenants, api, inbox, refused_url) -> None:
    target = tenants.notification_target
    NotificationTarget.objects.filter(pk=target.pk).update(url=inbox.url())

    assert api("post", f"/notification-targets/{target.pk}/test").json() == {
        "ok": True,
        "error": "",
    }
    NotificationTarget.objects.filter(pk=target.pk).update(url=refused_url)
    refused = api("post", f"/notification-targets/{target.pk}/test").json()
    assert refused["ok"] is False and "Connection error" in refused["error"]
    assert len(inbox.received) == 1


def test_delete_and_other_tenants(tenants, api) -> None:
    theirs = tenants.other_notification_target
    assert api("patch", f"/notification-targets/{theirs.pk}", {"name": "x"}).status_code == 404
    assert api("delete", f"/notification-targets/{theirs.pk}").status_code == 404
    assert api("post", f"/notification-targets/{theirs.pk}/test").status_code == 404

    assert (
        api("delete", f"/notification-targets/{tenants.notification_target.pk}").status_code == 204
    )
    assert not NotificationTarget.objects.filter(workspace=tenants.workspace).exists()
