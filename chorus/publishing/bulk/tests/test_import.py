"""Importing: the dry run writes nothing; the real import writes everything or nothing."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.utils import timezone

from chorus.publishing.bulk import formats, service, validate, writer
from chorus.publishing.bulk.media_batch import MediaBatch
from chorus.publishing.bulk.rows import Format
from chorus.publishing.bulk.tests.helpers import accounts, codes, future, upload
from chorus.publishing.compose.service import snapshot
from chorus.publishing.models import (
    AccountQueue,
    Campaign,
    Delivery,
    DeliveryState,
    Post,
    PostRevision,
    PostState,
    Tag,
)
from chorus.publishing.scheduling.zones import to_utc

HEADER = "scheduled_at,time_zone,accounts,text,first_comment,thread,tags,campaign,network_text_x"


def _csv(*lines: str) -> str:
    return "\n".join([HEADER, *lines]) + "\n"


@pytest.fixture
def setup(tenants):  # type: ignore[no-untyped-def]
    tenants.workspace.time_zone = "Europe/Berlin"
    tenants.workspace.save()
    tenants.more = accounts(tenants.workspace)
    return tenants


@pytest.mark.django_db
def test_a_dry_run_reports_every_row_and_writes_nothing(setup) -> None:
    when = future()
    text = _csv(
        f"{when:%Y-%m-%d %H:%M},,mastodon:@acme|x:@acmecorp,Hello,,,,,",
        f"{when:%Y-%m-%d} 10:00,,@acme,Second,,,,,",
    )
    before = Post.objects.count()
    report = service.run(setup.workspace, setup.users["owner"], upload(text), dry_run=True)
    assert report.ok and report.dry_run and report.mode == "scheduled"
    assert [(p.row, p.local_time, p.time_zone, p.accounts) for p in report.previews] == [
        (2, f"{when:%Y-%m-%d %H:%M}", "UTC", ["mastodon:@acme", "x:@acmecorp"]),
        (3, f"{when:%Y-%m-%d} 10:00", "UTC", ["mastodon:@acme"]),
    ]
    assert report.post_ids == [] and Post.objects.count() == before


@pytest.mark.django_db
def test_a_real_import_schedules_posts_with_everything_they_carry(setup) -> None:
    when = future()
    text = _csv(
        f"{when:%Y-%m-%d %H:%M},Europe/Berlin,mastodon:@acme|x:@acmecorp,Hello world,"
        f'Say hi,"Two\n---\nThree",launch|spring,Spring sale,Hi X'
    )
    report = service.run(setup.workspace, setup.users["manager"], upload(text), dry_run=False)
    assert report.ok, report.errors
    [post] = Post.objects.filter(pk__in=report.post_ids)
    instant = to_utc(when, "Europe/Berlin")
    assert (post.state, post.scheduled_at, post.time_zone) == (
        PostState.SCHEDULED,
        instant,
        "Europe/Berlin",
    )
    assert (post.text, post.first_comment, post.author) == (
        "Hello world",
        "Say hi",
        setup.users["manager"],
    )
    assert post.campaign == Campaign.objects.get(workspace=setup.workspace, name="Spring sale")
    assert sorted(post.tags.values_list("name", flat=True)) == ["launch", "spring"]
    variants = {v.network: (v.text, v.thread) for v in post.variants.all()}
    assert variants == {"mastodon": ("", ["Two", "Three"]), "x": ("Hi X", ["Two", "Three"])}
    deliveries = list(post.deliveries.order_by("account_id"))
    assert [(d.account, d.state, d.scheduled_for, d.due_at) for d in deliveries] == [
        (setup.account, DeliveryState.SCHEDULED, instant, instant),
        (setup.more["x"], DeliveryState.SCHEDULED, instant, instant),
    ]
    [revision] = PostRevision.objects.filter(post=post)
    assert revision.version == post.version == 1
    assert revision.content == snapshot(post)


@pytest.mark.django_db
def test_hootsuite_rows_go_to_the_accounts_and_zone_chosen_at_upload(setup) -> None:
    when = future()
    ids = (setup.account.pk, setup.more["bluesky"].pk)
    text = f"{when:%m/%d/%Y %H:%M},Hello from Hootsuite,https://example.com/a\n"
    report = service.run(
        setup.workspace,
        setup.users["owner"],
        upload(text, zone="Asia/Vientiane", account_ids=ids),
        dry_run=False,
    )
    assert report.ok and report.format == "hootsuite", report.errors
    post = Post.objects.get(pk=report.post_ids[0])
    assert (post.link, post.time_zone) == ("https://example.com/a", "Asia/Vientiane")
    assert post.scheduled_at == to_utc(when, "Asia/Vientiane")
    assert sorted(post.deliveries.values_list("account_id", flat=True)) == sorted(ids)


@pytest.mark.django_db
def test_an_editor_imports_drafts_that_keep_their_times(setup) -> None:
    when = future()
    text = _csv(f"{when:%Y-%m-%d %H:%M},,@acme,Draft me,,,,,")
    dry = service.run(setup.workspace, setup.users["editor"], upload(text), dry_run=True)
    assert dry.mode == "draft" and [w.code for w in dry.warnings] == ["imported_as_drafts"]
    report = service.run(setup.workspace, setup.users["editor"], upload(text), dry_run=False)
    post = Post.objects.get(pk=report.post_ids[0])
    assert post.state == PostState.DRAFT
    assert post.scheduled_at == datetime(when.year, when.month, when.day, 9, tzinfo=UTC)
    [delivery] = post.deliveries.all()
    assert (delivery.state, delivery.due_at) == (DeliveryState.WAITING, None)


@pytest.mark.django_db
def test_a_manager_may_ask_for_drafts_and_rows_without_a_time_are_drafts(setup) -> None:
    text = _csv(",,@acme,No time yet,,,,,")
    report = service.run(setup.workspace, setup.users["owner"], upload(text), dry_run=False)
    assert report.ok and [w.code for w in report.warnings] == ["no_time"]
    post = Post.objects.get(pk=report.post_ids[0])
    assert (post.state, post.scheduled_at) == (PostState.DRAFT, None)
    asked = service.run(
        setup.workspace,
        setup.users["owner"],
        upload(_csv(f"{future():%Y-%m-%d %H:%M},,@acme,Later,,,,,")),
        dry_run=False,
        drafts=True,
    )
    assert Post.objects.get(pk=asked.post_ids[0]).state == PostState.DRAFT


@pytest.mark.django_db
def test_ten_thousand_rows_import_in_one_go_or_not_at_all(setup) -> None:
    when = future(days=30)
    lines = [
        f"{when:%Y-%m-%d} {(i // 60) % 24:02d}:{i % 60:02d},,@acme|x:@acmecorp,"
        f"Post number {i} #bulk,,,bulk,Bulk,"
        for i in range(10_000)
    ]
    bad = list(lines)
    bad[9_997] = "not a date,,@acme,Broken,,,,,"  # spreadsheet row 9,999
    before = (Post.objects.count(), Delivery.objects.count(), Tag.objects.count())
    report = service.run(setup.workspace, setup.users["owner"], upload(_csv(*bad)), dry_run=False)
    assert codes(report) == [(9_999, "scheduled_at", "invalid_date_format")]
    assert report.post_ids == []
    assert (Post.objects.count(), Delivery.objects.count(), Tag.objects.count()) == before
    assert not Campaign.objects.filter(name="Bulk").exists()

    report = service.run(setup.workspace, setup.users["owner"], upload(_csv(*lines)), dry_run=False)
    assert report.ok, report.errors[:3]
    assert len(report.post_ids) == 10_000
    posts = Post.objects.filter(pk__in=report.post_ids)
    assert posts.filter(state=PostState.SCHEDULED).count() == 10_000
    assert Delivery.objects.filter(post__in=posts, state=DeliveryState.SCHEDULED).count() == 20_000
    assert PostRevision.objects.filter(post__in=posts).count() == 10_000
    assert Post.tags.through.objects.filter(post__in=posts).count() == 10_000
    assert posts.filter(campaign__name="Bulk").count() == 10_000


@pytest.mark.django_db
def test_json_and_csv_formats_may_be_forced(setup) -> None:
    text = f'[{{"scheduled_at": "{future():%Y-%m-%d %H:%M}", "accounts": ["@acme"], "text": "J"}}]'
    report = service.run(
        setup.workspace, setup.users["owner"], upload(text, fmt=Format.JSON), dry_run=False
    )
    assert report.ok and Post.objects.get(pk=report.post_ids[0]).text == "J"


@pytest.mark.django_db
def test_a_daily_limit_filled_between_check_and_write_stops_the_whole_import(setup) -> None:
    AccountQueue.objects.create(account=setup.account, daily_limit=1)
    when = future()
    parsed = formats.parse(
        upload(
            _csv(
                f"{when:%Y-%m-%d %H:%M},,@acme,Mine,,,,,",
                f"{when:%Y-%m-%d %H:%M},,x:@acmecorp,Other,,,,,",
            )
        )
    )
    plan = validate.plan(
        setup.workspace, parsed, MediaBatch(setup.workspace), scheduled=True, now=timezone.now()
    )
    assert not [i for i in plan.issues if i.is_error]
    rival = Post.objects.create(
        workspace=setup.workspace,
        state=PostState.SCHEDULED,
        scheduled_at=to_utc(when.replace(hour=7), "UTC"),
    )
    Delivery.objects.create(
        post=rival,
        account=setup.account,
        network="mastodon",
        state=DeliveryState.SCHEDULED,
        scheduled_for=rival.scheduled_at,
    )
    before = Post.objects.count()
    with pytest.raises(writer.Rejected) as refused:
        writer.write(setup.workspace, setup.users["owner"], plan, MediaBatch(setup.workspace))
    assert [n for n, _m in refused.value.problems] == [2]
    assert Post.objects.count() == before
