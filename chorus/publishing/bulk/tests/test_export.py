"""Export writes the import formats back; Chorus CSV and JSON re-import losslessly."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, timedelta
from typing import Any

import pytest

from chorus.media import services as media_services
from chorus.media.tests.files import image_bytes
from chorus.media.tests.files import upload as file_upload
from chorus.orgs.models import SocialAccount, Workspace
from chorus.publishing.bulk import service
from chorus.publishing.bulk.export import export_posts, select_posts
from chorus.publishing.bulk.rows import DateOrder, Format
from chorus.publishing.bulk.tests.helpers import NEXT_YEAR, accounts, future, upload
from chorus.publishing.models import Post


def _last_sunday_of_october(year: int) -> date:
    day = date(year, 10, 31)
    return day - timedelta(days=(day.weekday() - 6) % 7)


def _source(t: Any) -> list[int]:
    """Posts with everything the formats carry, imported into Acme's workspace."""
    sha = t.media_asset.sha256
    when = future()
    autumn = _last_sunday_of_october(NEXT_YEAR)
    posts = [
        {
            "scheduled_at": f"{when:%Y-%m-%d %H:%M}",
            "time_zone": "Europe/Berlin",
            "accounts": ["mastodon:@acme", "x:@acmecorp"],
            "text": 'Full post, "quoted"\nline 2',
            "link": "https://example.com/a?b=1",
            "first_comment": "First!",
            "thread": ["Second part", "Third part"],
            "media": [
                {
                    "url": f"sha256:{sha}",
                    "alt_text": "A teal square",
                    "focus": {"x": -0.5, "y": 0.123456789},
                }
            ],
            "tags": ["launch", "spring"],
            "campaign": "Spring sale",
            "evergreen": True,
            "recurrence": "FREQ=WEEKLY;COUNT=3",
            "variants": [
                {
                    "network": "x",
                    "text": "Short for X",
                    "thread": ["X two"],
                    "options": {"reply_settings": "following"},
                },
                {
                    "network": "mastodon",
                    "options": {"spoiler_text": "CW"},
                    "media": [
                        {"url": f"sha256:{sha}", "alt_text": ""},
                        {"url": f"sha256:{sha}", "focus": {"x": 1, "y": -1}},
                    ],
                },
            ],
        },
        # The second of two 02:30s in Berlin: only the offset tells it apart.
        {
            "scheduled_at": f"{autumn} 02:30+01:00",
            "time_zone": "Europe/Berlin",
            "accounts": ["bluesky:acme.bsky.social"],
            "text": "ສະບາຍດີ 👋🏽",
        },
        {"accounts": ["mastodon:@news"], "text": "A draft without a time"},
    ]
    report = service.run(t.workspace, t.users["owner"], upload(json.dumps(posts)), dry_run=False)
    assert report.ok, report.errors
    return report.post_ids


def _target(t: Any) -> Workspace:
    """Another workspace with accounts of the same handles and the same media file."""
    other = Workspace.objects.create(organisation=t.org, name="Acme Two")
    for account in SocialAccount.objects.filter(workspace=t.workspace):
        SocialAccount.objects.create(
            workspace=other,
            network=account.network,
            remote_id=account.remote_id,
            handle=account.handle,
        )
    media_services.upload(
        other, t.users["owner"], file_upload(image_bytes(color="teal"), "same.png")
    )
    return other


def _content(post: Post) -> dict[str, Any]:
    return {
        "state": post.state,
        "text": post.text,
        "link": post.link,
        "first_comment": post.first_comment,
        "scheduled_at": post.scheduled_at,
        "time_zone": post.time_zone,
        "evergreen": post.evergreen,
        "recurrence": post.recurrence,
        "campaign": post.campaign.name if post.campaign else None,
        "tags": sorted(t.name for t in post.tags.all()),
        "accounts": sorted(
            f"{d.account.network}:{d.account.handle}" for d in post.deliveries.all()
        ),
        "variants": [
            (v.network, v.text, v.link, v.first_comment, v.thread, v.options)
            for v in post.variants.all()
        ],
        "media": [
            (m.network, m.position, m.asset.sha256, m.alt_text, m.focus) for m in post.media.all()
        ],
    }


@pytest.fixture
def setup(tenants):  # type: ignore[no-untyped-def]
    tenants.workspace.time_zone = "Europe/Berlin"
    tenants.workspace.save()
    tenants.more = accounts(tenants.workspace)
    return tenants


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", [Format.CSV, Format.JSON])
def test_an_export_re_imports_into_another_workspace_losslessly(setup, fmt: Format) -> None:
    ids = _source(setup)
    exported = export_posts(setup.workspace, select_posts(setup.workspace).filter(pk__in=ids), fmt)
    assert exported.count == 3
    other = _target(setup)
    report = service.run(other, setup.users["owner"], upload(exported.content), dry_run=False)
    assert report.ok and report.format == fmt.value, report.errors
    before = [_content(p) for p in Post.objects.filter(pk__in=ids).order_by("pk")]
    after = [_content(p) for p in Post.objects.filter(pk__in=report.post_ids).order_by("pk")]
    assert after == before
    again = export_posts(other, select_posts(other), fmt)
    assert again.content == exported.content


@pytest.mark.django_db
def test_the_chorus_csv_has_a_bom_a_header_and_network_columns(setup) -> None:
    _source(setup)
    exported = export_posts(
        setup.workspace, select_posts(setup.workspace).exclude(text="Matrix post"), Format.CSV
    )
    assert exported.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert rows[0]["accounts"] == "mastodon:@acme|x:@acmecorp"
    assert rows[0]["network_thread_x"] == "X two"
    assert rows[0]["network_thread_mastodon"] == "Second part\n---\nThird part"
    assert rows[0]["network_options_mastodon"] == '{"spoiler_text": "CW"}'
    assert rows[0]["media_focus"] == "-0.5, 0.123456789"
    # An empty place keeps the second file's point with the second file.
    assert rows[0]["network_media_focus_mastodon"] == "|1, -1"
    assert rows[1]["scheduled_at"].endswith("02:30+01:00")
    assert rows[2]["scheduled_at"] == ""


@pytest.mark.django_db
def test_the_hootsuite_export_writes_dates_in_the_workspace_zone(setup) -> None:
    ids = _source(setup)
    posts = select_posts(setup.workspace).filter(pk__in=ids)
    plain = export_posts(setup.workspace, posts, Format.HOOTSUITE)
    assert not plain.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(plain.content.decode())))
    when = future()
    assert plain.count == 2 and len(rows) == 2
    assert rows[0] == [
        f"{when:%m/%d/%Y %H:%M}",
        'Full post, "quoted"\nline 2',
        "https://example.com/a?b=1",
    ]
    autumn = _last_sunday_of_october(NEXT_YEAR)
    assert rows[1][0] == f"{autumn:%m/%d/%Y} 02:30"
    x = setup.more["x"]
    for_x = export_posts(
        setup.workspace,
        select_posts(setup.workspace, account=x).filter(pk__in=ids),
        Format.HOOTSUITE,
        account=x,
        date_order=DateOrder.YMD,
    )
    assert for_x.content.decode().startswith(f"{when:%Y-%m-%d %H:%M},Short for X,")
