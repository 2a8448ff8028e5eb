"""The import page: upload, every row's errors, confirm without re-sending; the export page."""

from __future__ import annotations

import re

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from chorus.publishing.bulk import pending
from chorus.publishing.bulk.tests.helpers import future
from chorus.publishing.models import AccountQueue, Post, PostState


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def _url(t, what: str = "import") -> str:  # type: ignore[no-untyped-def]
    return f"/o/{t.org.slug}/w/{t.workspace.slug}/posts/{what}/"


def _form(text: str, **extra: object) -> dict[str, object]:
    data: dict[str, object] = {
        "step": "check",
        "format": "auto",
        "time_zone": "Europe/Berlin",
        "date_format": "mdy",
        "encoding": "utf-8",
        "file": SimpleUploadedFile("posts.csv", text.encode(), content_type="text/csv"),
    }
    data.update(extra)
    return data


def _good(t) -> str:  # type: ignore[no-untyped-def]
    when = future()
    return (
        f"{when:%m/%d/%Y} 09:00,First from the web,https://example.com\n"
        f"{when:%m/%d/%Y} 10:00,Second from the web,\n"
    )


@pytest.mark.django_db
def test_the_page_offers_drafts_only_to_those_who_may_schedule(tenants) -> None:
    manager = _client(tenants.users["manager"]).get(_url(tenants))
    editor = _client(tenants.users["editor"]).get(_url(tenants))
    assert manager.status_code == editor.status_code == 200
    assert b'name="drafts"' in manager.content and b'name="drafts"' not in editor.content
    assert b"@acme (mastodon)" in editor.content


@pytest.mark.django_db
def test_every_rows_errors_are_shown_and_nothing_is_written(tenants) -> None:
    before = Post.objects.count()
    text = "13/45/2030 09:00,Bad date\n" + _good(tenants) + "01/02/2030 09:00,\n"
    response = _client(tenants.users["owner"]).post(
        _url(tenants), _form(text, accounts=[tenants.account.pk])
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "Nothing was imported" in page
    assert page.count('class="row-error"') == 2
    assert "has no month 13" not in page and "not a day of the calendar" in page
    assert "Write something or attach media for Mastodon." in page
    assert 'name="token"' not in page
    assert Post.objects.count() == before


@pytest.mark.django_db
def test_a_checked_upload_is_confirmed_without_sending_it_again(tenants) -> None:
    client = _client(tenants.users["owner"])
    checked = client.post(_url(tenants), _form(_good(tenants), accounts=[tenants.account.pk]))
    assert checked.status_code == 200
    page = checked.content.decode()
    assert "Ready to import" in page and "First from the web" in page
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    stored = client.session[pending.KEY]["name"]
    assert default_storage.exists(stored)
    done = client.post(_url(tenants), {"step": "confirm", "token": token})
    assert done.status_code == 302
    calendar = f"/o/{tenants.org.slug}/w/{tenants.workspace.slug}/calendar/"
    assert done["Location"] == f"{calendar}?date={future():%Y-%m-%d}"
    posts = Post.objects.filter(text__endswith="from the web")
    assert posts.count() == 2 and {p.state for p in posts} == {PostState.SCHEDULED}
    assert {p.time_zone for p in posts} == {"Europe/Berlin"}
    assert not default_storage.exists(stored)
    again = client.post(_url(tenants), {"step": "confirm", "token": token})
    assert (
        again.status_code == 302 and Post.objects.filter(text__endswith="from the web").count() == 2
    )


@pytest.mark.django_db
def test_the_confirmation_checks_again(tenants) -> None:
    client = _client(tenants.users["owner"])
    checked = client.post(_url(tenants), _form(_good(tenants), accounts=[tenants.account.pk]))
    token = re.search(
        r'name="token" value="([^"]+)"',  # type: ignore[union-attr]
        checked.content.decode(),
    ).group(1)
    AccountQueue.objects.update_or_create(account=tenants.account, defaults={"daily_limit": 1})
    refused = client.post(_url(tenants), {"step": "confirm", "token": token})
    assert refused.status_code == 422
    assert "daily limit" in refused.content.decode()
    assert not Post.objects.filter(text__endswith="from the web").exists()


@pytest.mark.django_db
def test_another_persons_token_does_not_confirm(tenants) -> None:
    owner = _client(tenants.users["owner"])
    checked = owner.post(_url(tenants), _form(_good(tenants), accounts=[tenants.account.pk]))
    token = re.search(
        r'name="token" value="([^"]+)"',  # type: ignore[union-attr]
        checked.content.decode(),
    ).group(1)
    manager = _client(tenants.users["manager"])
    response = manager.post(_url(tenants), {"step": "confirm", "token": token})
    assert response.status_code == 302 and response["Location"] == _url(tenants)
    assert not Post.objects.filter(text__endswith="from the web").exists()


@pytest.mark.django_db
def test_an_editors_import_becomes_drafts(tenants) -> None:
    client = _client(tenants.users["editor"])
    checked = client.post(_url(tenants), _form(_good(tenants), accounts=[tenants.account.pk]))
    assert "saved as drafts" in checked.content.decode()
    token = re.search(
        r'name="token" value="([^"]+)"',  # type: ignore[union-attr]
        checked.content.decode(),
    ).group(1)
    client.post(_url(tenants), {"step": "confirm", "token": token})
    assert {p.state for p in Post.objects.filter(text__endswith="from the web")} == {
        PostState.DRAFT
    }


@pytest.mark.django_db
def test_the_export_page_downloads_a_file_for_a_period(tenants) -> None:
    client = _client(tenants.users["analyst"])
    assert client.get(_url(tenants, "export")).status_code == 200
    day = tenants.post_scheduled.scheduled_at.date()
    response = client.get(
        _url(tenants, "export"),
        {
            "download": "1",
            "format": "hootsuite",
            "start": day.isoformat(),
            "end": day.isoformat(),
            "date_format": "ymd",
        },
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="hootsuite-')
    assert response.content.decode().count("Matrix post") == 1
    wrong = client.get(
        _url(tenants, "export"),
        {
            "download": "1",
            "format": "csv",
            "start": "2030-02-02",
            "end": "2030-01-01",
            "date_format": "mdy",
        },
    )
    assert wrong.status_code == 400
