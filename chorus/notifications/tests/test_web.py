"""The notification settings page: targets are added, changed, tested and deleted; their
URLs are never shown again."""

from __future__ import annotations

import pytest
from django.test import Client

from chorus.notifications.models import Event, NotificationLog, NotificationTarget

pytestmark = pytest.mark.django_db
SECRET_URL = "slack://T1JJ3T3L2/A1BRTD4JD/TIiajkdnlazkcOXrIdevi7FQ"


@pytest.fixture
def manager(tenants) -> Client:
    client = Client()
    client.force_login(tenants.users["manager"])
    return client


def _page(tenants) -> str:
    return f"/o/{tenants.org.slug}/w/{tenants.workspace.slug}/notifications/"


def _target(tenants, url: str = SECRET_URL) -> NotificationTarget:
    return NotificationTarget.objects.create(
        workspace=tenants.workspace, name="Team Slack", url=url, events=[Event.POST_FAILED]
    )


def test_the_list_shows_the_scheme_never_the_url(tenants, manager) -> None:
    _target(tenants)

    response = manager.get(_page(tenants))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Team Slack" in html and "slack://…" in html and "Slack" in html
    assert "TIiajkdnlazkcOXrIdevi7FQ" not in html
    assert "A post failed to publish" in html


def test_adding_a_target_saves_it_encrypted(tenants, manager) -> None:
    response = manager.post(
        _page(tenants) + "new/",
        {
            "name": "Team Slack",
            "url": SECRET_URL,
            "events": ["post_failed", "daily_summary"],
            "language": "lo",
            "enabled": "on",
        },
    )

    assert response.status_code == 302 and response["Location"] == _page(tenants)
    target = NotificationTarget.objects.get(name="Team Slack")
    assert (target.url, target.events, target.language, target.enabled) == (
        SECRET_URL,
        ["post_failed", "daily_summary"],
        "lo",
        True,
    )
    assert "TIiajkdnlazkcOXrIdevi7FQ" not in manager.get(_page(tenants)).content.decode()


def test_an_unreadable_url_is_refused_on_its_field(tenants, manager) -> None:
    response = manager.post(
        _page(tenants) + "new/",
        {"name": "Broken", "url": "slack://just-one", "events": ["post_failed"], "language": "en"},
    )

    assert response.status_code == 400
    assert response.context["form"].errors["url"] == [
        "Apprise cannot read this slack:// URL: a part is missing or malformed. "
        "See the Apprise documentation of this service for its form."
    ]
    assert not NotificationTarget.objects.filter(name="Broken").exists()


def test_editing_without_a_url_keeps_the_saved_one(tenants, manager) -> None:
    target = _target(tenants)
    edit = f"{_page(tenants)}{target.pk}/"

    form = manager.get(edit)
    assert form.status_code == 200 and "TIiajkdnlazkcOXrIdevi7FQ" not in form.content.decode()
    response = manager.post(
        edit, {"name": "Renamed", "url": "", "events": ["account_reconnect"], "language": "en"}
    )

    assert response.status_code == 302
    target.refresh_from_db()
    assert (target.name, target.url, target.events, target.enabled) == (
        "Renamed",
        SECRET_URL,
        ["account_reconnect"],
        False,  # the box was left unticked
    )


def test_send_test_shows_what_the_service_answered(tenants, manager, inbox) -> None:
    target = _target(tenants, inbox.url())
    test_url = f"{_page(tenants)}{target.pk}/test/"

    page = manager.post(test_url, follow=True)
    assert "the service accepted it" in page.content.decode()
    assert inbox.received[0]["title"] == "Chorus: test notification for Acme Brand"

    inbox.answers = [500]
    fragment = manager.post(test_url, HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200
    assert "The test failed" in fragment.content.decode()
    assert "500" in fragment.content.decode()
    assert list(NotificationLog.objects.filter(target=target).values_list("ok", flat=True)) == [
        False,
        True,
    ]


def test_send_test_answers_only_post(tenants, manager) -> None:
    target = _target(tenants)
    assert manager.get(f"{_page(tenants)}{target.pk}/test/").status_code == 405


def test_deleting_asks_first(tenants, manager) -> None:
    target = _target(tenants)
    url = f"{_page(tenants)}{target.pk}/delete/"

    assert manager.get(url).status_code == 200
    assert NotificationTarget.objects.filter(pk=target.pk).exists()
    assert manager.post(url).status_code == 302
    assert not NotificationTarget.objects.filter(pk=target.pk).exists()


def test_another_tenants_target_is_not_found_through_my_workspace(tenants, manager) -> None:
    theirs = tenants.other_notification_target

    for suffix in ("", "delete/", "test/"):
        assert manager.post(f"{_page(tenants)}{theirs.pk}/{suffix}").status_code == 404
    theirs.refresh_from_db()
    assert theirs.name == "Globex alerts" and not theirs.log.exists()
