"""Import and export over the API: multipart or JSON in, 200 / 201 / 422 out, files back."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from chorus.accounts.models import ApiToken
from chorus.publishing.bulk.tests.helpers import accounts, future
from chorus.publishing.models import Post, PostState


def _auth(user, scopes=("read", "write")) -> dict[str, str]:  # type: ignore[no-untyped-def]
    _token, raw = ApiToken.issue(user, "test", list(scopes))
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def _url(t, what: str = "import") -> str:  # type: ignore[no-untyped-def]
    return f"/api/v1/workspaces/{t.workspace.pk}/posts/{what}"


def _file(text: str, name: str = "posts.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def _rows(*texts: str) -> str:
    when = future()
    lines = [f"{when:%Y-%m-%d} {9 + i:02d}:00,@acme,{t}" for i, t in enumerate(texts)]
    return "scheduled_at,accounts,text\n" + "\n".join(lines) + "\n"


@pytest.mark.django_db
def test_a_multipart_dry_run_answers_the_report_and_writes_nothing(tenants) -> None:
    before = Post.objects.count()
    response = Client().post(
        _url(tenants),
        {"file": _file(_rows("One", "Two")), "dry_run": "true"},
        **_auth(tenants.users["editor"]),
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["ok"], body["dry_run"], body["format"], body["mode"], body["rows"]) == (
        True,
        True,
        "csv",
        "draft",
        2,
    )
    assert [p["row"] for p in body["preview"]] == [2, 3]
    assert [w["code"] for w in body["warnings"]] == ["imported_as_drafts"]
    assert Post.objects.count() == before


@pytest.mark.django_db
def test_a_hootsuite_file_imports_for_the_accounts_chosen(tenants) -> None:
    more = accounts(tenants.workspace)
    when = future()
    text = f"{when:%d/%m/%Y %H:%M},From Hootsuite,https://example.com\n"
    response = Client().post(
        _url(tenants),
        {
            "file": _file(text),
            "format": "hootsuite",
            "date_format": "dmy",
            "time_zone": "Asia/Vientiane",
            "account_ids": [tenants.account.pk, more["x"].pk],
        },
        **_auth(tenants.users["manager"]),
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["created"] == 1 and body["mode"] == "scheduled"
    post = Post.objects.get(pk=body["post_ids"][0])
    assert (post.state, post.time_zone, post.deliveries.count()) == (
        PostState.SCHEDULED,
        "Asia/Vientiane",
        2,
    )


@pytest.mark.django_db
def test_a_json_body_takes_the_file_text_or_the_posts(tenants) -> None:
    client, auth = Client(), _auth(tenants.users["owner"])
    by_text = client.post(
        _url(tenants),
        json.dumps({"content": _rows("Text body")}),
        content_type="application/json",
        **auth,
    )
    assert by_text.status_code == 201, by_text.content
    posts = [
        {
            "scheduled_at": f"{future():%Y-%m-%d %H:%M}",
            "accounts": [tenants.account.pk],
            "text": "Posts body",
        }
    ]
    by_posts = client.post(
        _url(tenants), json.dumps({"posts": posts}), content_type="application/json", **auth
    )
    assert by_posts.status_code == 201, by_posts.content
    assert Post.objects.get(pk=by_posts.json()["post_ids"][0]).text == "Posts body"


@pytest.mark.django_db
def test_a_file_with_errors_is_refused_whole_with_every_error(tenants) -> None:
    before = Post.objects.count()
    text = _rows("Good", "Also good") + "not a date,@acme,Bad\n2030-01-01 10:00,@nobody,Bad\n"
    response = Client().post(_url(tenants), {"file": _file(text)}, **_auth(tenants.users["owner"]))
    assert response.status_code == 422
    body = response.json()
    assert [(p["row"], p["field"], p["column"], p["code"]) for p in body["problems"]] == [
        (4, "scheduled_at", "A", "invalid_date_format"),
        (5, "accounts", "B", "unknown_account"),
    ]
    assert set(body["errors"]) == {"rows.4.scheduled_at", "rows.5.accounts"}
    assert Post.objects.count() == before


@pytest.mark.django_db
def test_bad_choices_and_bodies_name_the_field(tenants) -> None:
    client, auth = Client(), _auth(tenants.users["owner"])
    cases = [
        ({"file": _file(_rows("x")), "time_zone": "Mars/Base"}, "time_zone"),
        ({"file": _file(_rows("x")), "account_ids": [tenants.other_account.pk]}, "account_ids"),
        ({"file": _file(_rows("x")), "format": "excel"}, "format"),
        ({"dry_run": "true"}, "file"),
    ]
    for data, field in cases:
        response = client.post(_url(tenants), data, **auth)
        assert response.status_code == 422, (field, response.content)
        assert field in response.json()["errors"], response.json()
    both = client.post(
        _url(tenants),
        json.dumps({"content": "a", "posts": []}),
        content_type="application/json",
        **auth,
    )
    assert both.status_code == 422 and "content" in both.json()["errors"]
    broken = client.post(_url(tenants), "{", content_type="application/json", **auth)
    assert broken.status_code == 400
    plain = client.post(_url(tenants), "a,b", content_type="text/plain", **auth)
    assert plain.status_code == 422


@pytest.mark.django_db
def test_a_read_only_token_and_an_analyst_cannot_import(tenants) -> None:
    data = {"file": _file(_rows("x"))}
    reader = Client().post(_url(tenants), data, **_auth(tenants.users["owner"], ("read",)))
    assert reader.status_code == 403
    analyst = Client().post(
        _url(tenants), {"file": _file(_rows("x"))}, **_auth(tenants.users["analyst"])
    )
    assert analyst.status_code == 403


@pytest.mark.django_db
def test_exports_are_files_in_each_format(tenants) -> None:
    client, auth = Client(), _auth(tenants.users["analyst"])
    scheduled = tenants.post_scheduled
    as_csv = client.get(_url(tenants, "export"), **auth)
    assert as_csv.status_code == 200
    assert as_csv["Content-Type"] == "text/csv; charset=utf-8"
    assert as_csv["Content-Disposition"].startswith('attachment; filename="chorus-')
    rows = list(csv.DictReader(io.StringIO(as_csv.content.decode("utf-8-sig"))))
    assert len(rows) == Post.objects.filter(workspace=tenants.workspace).count()
    as_json = client.get(_url(tenants, "export") + "?format=json", **auth)
    assert as_json["Content-Type"] == "application/json"
    assert {p["text"] for p in as_json.json()} == {"Matrix post"}
    start = scheduled.scheduled_at.isoformat().replace("+00:00", "Z")
    hootsuite = client.get(
        _url(tenants, "export"),
        {"format": "hootsuite", "start": start, "account_id": tenants.account.pk},
        **auth,
    )
    assert hootsuite.status_code == 200
    [row] = list(csv.reader(io.StringIO(hootsuite.content.decode())))
    assert row[1] == "Matrix post"


@pytest.mark.django_db
def test_an_export_for_another_organisations_account_is_refused(tenants) -> None:
    response = Client().get(
        _url(tenants, "export"),
        {"account_id": tenants.other_account.pk},
        **_auth(tenants.users["owner"]),
    )
    assert response.status_code == 422 and "account_id" in response.json()["errors"]
