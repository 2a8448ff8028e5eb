"""Every kind of bad input gets its own error, naming the row and the field, all at once."""

from __future__ import annotations

from datetime import UTC, date, time, timedelta

import pytest
from django.utils import timezone

from chorus.orgs.models import SocialAccount
from chorus.publishing.bulk import service
from chorus.publishing.bulk.tests.helpers import NEXT_YEAR, accounts, codes, future, upload
from chorus.publishing.models import AccountQueue, Delivery, DeliveryState, Post, PostState


@pytest.fixture
def setup(tenants):  # type: ignore[no-untyped-def]
    tenants.more = accounts(tenants.workspace)
    return tenants


def _check(t, text: str, **kw):  # type: ignore[no-untyped-def]
    return service.run(t.workspace, t.users["owner"], upload(text, **kw), dry_run=True)


def _last_sunday(year: int, month: int) -> date:
    day = date(year, month + 1, 1) - timedelta(days=1)
    return day - timedelta(days=(day.weekday() - 6) % 7)


@pytest.mark.django_db
def test_dst_gaps_and_overlaps_are_refused_with_the_fix(setup) -> None:
    spring, autumn = _last_sunday(NEXT_YEAR, 3), _last_sunday(NEXT_YEAR, 10)
    text = (
        f"scheduled_at,accounts,text\n"
        f"{spring} 02:30,@acme,Spring forward\n"  # Berlin skips 02:00-03:00
        f"{autumn} 02:30,@acme,Fall back\n"  # Berlin shows 02:00-03:00 twice
        f"{autumn} 02:30+01:00,@acme,Second of the two\n"
        f"{autumn} 02:30+05:00,@acme,Wrong offset\n"
    )
    report = _check(setup, text, zone="Europe/Berlin")
    assert codes(report) == [
        (2, "scheduled_at", "nonexistent_time"),
        (3, "scheduled_at", "ambiguous_time"),
        (5, "scheduled_at", "offset_mismatch"),
    ]
    gap, twice = report.errors[0], report.errors[1]
    assert gap.column == "A" and "03:00" in gap.message
    assert "happens twice" in twice.message
    [fourth] = [p for p in report.previews if p.row == 4]
    assert fourth.scheduled_at is not None and fourth.scheduled_at.hour == 1  # 02:30 CET


@pytest.mark.django_db
def test_times_in_the_past_are_refused(setup) -> None:
    past = timezone.now() - timedelta(hours=2)
    text = f"{past:%m/%d/%Y %H:%M},Too late\n"
    report = _check(setup, text, account_ids=(setup.account.pk,))
    [issue] = report.errors
    assert (issue.row, issue.field, issue.column, issue.code) == (1, "date", "A", "in_past")


@pytest.mark.django_db
def test_another_organisations_account_reads_as_unknown(setup) -> None:
    when = future()
    other = setup.other_account
    text = (
        f"scheduled_at,accounts,text\n"
        f"{when:%Y-%m-%d %H:%M},{other.pk},By id\n"
        f"{when:%Y-%m-%d %H:%M},mastodon:@globex,By handle\n"
        f"{when:%Y-%m-%d %H:%M},,Nobody\n"
    )
    report = _check(setup, text)
    assert codes(report) == [
        (2, "accounts", "unknown_account"),
        (3, "accounts", "unknown_account"),
        (4, "accounts", "required"),
    ]
    assert "Globex" not in " ".join(i.message for i in report.issues)
    with pytest.raises(service.BadRequest) as refused:
        _check(setup, text, account_ids=(other.pk,))
    assert refused.value.field == "account_ids"


@pytest.mark.django_db
def test_a_handle_on_two_networks_must_name_the_network(setup) -> None:
    SocialAccount.objects.create(
        workspace=setup.workspace, network="bluesky", remote_id="b2", handle="acme"
    )
    report = _check(setup, f"scheduled_at,accounts,text\n{future():%Y-%m-%d %H:%M},acme,Hi\n")
    assert codes(report) == [(2, "accounts", "ambiguous_account")]
    message = report.errors[0].message
    assert "mastodon:@acme" in message or "bluesky:acme" in message


@pytest.mark.django_db
def test_text_too_long_for_a_network_gives_the_span(setup) -> None:
    when = future()
    long_text = "a" * 290
    text = (
        f"scheduled_at,accounts,text,network_text_bluesky\n"
        f"{when:%Y-%m-%d %H:%M},x:@acmecorp|@acme,{long_text},\n"
        f"{when:%Y-%m-%d} 10:00,bluesky:acme.bsky.social,Short,{'b' * 301}\n"
    )
    report = _check(setup, text)
    errors = [(i.row, i.field, i.column, i.code, i.network, i.start, i.end) for i in report.errors]
    assert errors == [
        (2, "text", "C", "too_long", "x", 280, 290),
        (3, "network_text_bluesky", "D", "too_long", "bluesky", 300, 301),
    ]


@pytest.mark.django_db
def test_cell_level_mistakes_each_get_a_code(setup) -> None:
    when = f"{future():%Y-%m-%d %H:%M}"
    text = (
        "scheduled_at,time_zone,accounts,text,link,evergreen,recurrence,tags,"
        "network_options_mastodon,media_urls,thread\n"
        f"{when},Mars/Olympus,@acme,Hi,,,,,,,\n"
        f"{when}x,,@acme,Hi 2,,,,,,,\n"
        f"{when},,@acme,Hi 3,ftp://example.com,maybe,,,,,\n"
        f"{when},,@acme,Hi 4,,,FREQ=HOURLY,,{{not json,,\n"
        f"{when},,@acme,Hi\x005,,,,{'t' * 61},,file.png,\n"
        f"{when},,linkedin:@nobody|@acme,,,,,,,,\n"
    )
    report = _check(setup, text)
    assert codes(report) == [
        (2, "time_zone", "unknown_zone"),
        (3, "scheduled_at", "invalid_date_format"),
        (4, "link", "invalid_link"),
        (4, "evergreen", "invalid_flag"),
        (5, "recurrence", "too_frequent"),
        (5, "network_options_mastodon", "invalid_options"),
        (6, "text", "nul_character"),
        (6, "tags", "too_long"),
        (6, "media_urls", "invalid_media_url"),
        (7, "accounts", "unknown_account"),
        (7, "text", "required"),
    ]
    # Sorted as the spreadsheet reads: by row, then column.
    assert [i.column for i in report.errors if i.row == 4] == ["E", "F"]


@pytest.mark.django_db
def test_the_same_post_twice_in_a_minute_is_an_error_and_a_different_one_a_warning(
    setup,
) -> None:
    when = f"{future():%Y-%m-%d %H:%M}"
    text = (
        f"scheduled_at,accounts,text\n{when},@acme,Same\n{when},@acme,Same\n"
        f"{when},@acme,Different\n"
    )
    report = _check(setup, text)
    assert codes(report) == [(3, "scheduled_at", "duplicate_post")]
    assert [(w.row, w.code) for w in report.warnings] == [(4, "same_minute")]


@pytest.mark.django_db
def test_daily_limits_count_existing_posts_and_the_file(setup) -> None:
    AccountQueue.objects.create(account=setup.account, daily_limit=2)
    when = future(days=5, hour=12)
    existing = Post.objects.create(
        workspace=setup.workspace, state=PostState.SCHEDULED, scheduled_at=when.replace(tzinfo=UTC)
    )
    Delivery.objects.create(
        post=existing,
        account=setup.account,
        network="mastodon",
        state=DeliveryState.SCHEDULED,
        scheduled_for=existing.scheduled_at,
    )
    day = f"{when:%Y-%m-%d}"
    text = (
        f"scheduled_at,accounts,text\n{day} 08:00,@acme,One\n{day} 09:00,@acme,Two\n"
        f"{day} 10:00,x:@acmecorp,Other account\n"
    )
    report = _check(setup, text)
    assert codes(report) == [(3, "scheduled_at", "daily_limit_reached")]
    drafts = service.run(
        setup.workspace, setup.users["owner"], upload(text), dry_run=True, drafts=True
    )
    assert drafts.ok  # drafts take no place in a day


@pytest.mark.django_db
def test_a_disconnected_account_is_an_error_and_one_needing_reconnect_a_warning(setup) -> None:
    setup.more["x"].status = SocialAccount.Status.DISCONNECTED
    setup.more["x"].save()
    setup.more["bluesky"].status = SocialAccount.Status.NEEDS_RECONNECT
    setup.more["bluesky"].save()
    when = f"{future():%Y-%m-%d %H:%M}"
    text = f"scheduled_at,accounts,text\n{when},x:@acmecorp,A\n{when},acme.bsky.social,B\n"
    report = _check(setup, text)
    assert codes(report) == [(2, "accounts", "account_disconnected")]
    assert "account_needs_reconnect" in [w.code for w in report.warnings]


@pytest.mark.django_db
def test_a_thread_on_a_network_without_threads_names_the_thread_column(setup) -> None:
    SocialAccount.objects.create(
        workspace=setup.workspace, network="linkedin", remote_id="l", handle="Acme Inc"
    )
    text = (
        f"scheduled_at,accounts,text,thread\n{future():%Y-%m-%d %H:%M},"
        f'linkedin:Acme Inc,Hi,"Two\n---\nThree"\n'
    )
    assert codes(_check(setup, text)) == [(2, "thread", "threads_unsupported")]


@pytest.mark.django_db
def test_upload_choices_are_checked_before_the_file(setup) -> None:
    with pytest.raises(service.BadRequest) as refused:
        _check(setup, "x", zone="Nowhere/Land")
    assert refused.value.field == "time_zone"


@pytest.mark.django_db
def test_posting_slot_times_do_not_matter_to_exact_times(setup) -> None:
    # The matrix fixtures give @acme a 09:30 slot; an import at another time is fine.
    assert setup.account.slots.filter(time=time(9, 30)).exists()
    text = f"scheduled_at,accounts,text\n{future(hour=14):%Y-%m-%d %H:%M},@acme,Hi\n"
    assert _check(setup, text).ok


@pytest.mark.django_db
def test_a_hootsuite_file_without_chosen_accounts_is_told_once(setup) -> None:
    when = future()
    text = "".join(f"{when:%m/%d/%Y} {9 + i:02d}:00,Post {i}\n" for i in range(5))
    report = _check(setup, text)
    assert codes(report) == [(None, "accounts", "required")]


@pytest.mark.django_db
def test_a_lone_surrogate_from_a_json_escape_is_refused(setup) -> None:
    when = f"{future():%Y-%m-%d %H:%M}"
    text = f'[{{"scheduled_at": "{when}", "accounts": ["@acme"], "text": "Half \\ud83d"}}]'
    report = _check(setup, text)
    assert codes(report) == [(1, "text", "invalid_character")]


@pytest.mark.django_db
def test_a_focus_point_that_is_not_two_numbers_from_minus_one_to_one_is_refused(setup) -> None:
    sha = f"sha256:{setup.media_asset.sha256}"
    when = f"{future():%Y-%m-%d %H:%M}"
    text = (
        "scheduled_at,accounts,text,media_urls,media_focus,network_media_urls_mastodon,"
        "network_media_focus_mastodon\n"
        f'{when},@acme,Off the edge,{sha},"1.5, 0",,\n'
        f"{when},@acme,Not a point,{sha},middle,,\n"
        f'{when},@acme,Two for one,{sha},"0, 0|0.5, 0.5",,\n'
        f'{when},@acme,On a variant,,,{sha},"0, -2"\n'
        f'{when},@acme,Fine,{sha},"-1, 1",,\n'
    )
    report = _check(setup, text)
    assert codes(report) == [
        (2, "media_focus", "invalid_focus"),
        (3, "media_focus", "invalid_focus"),
        (4, "media_focus", "too_many_focus_points"),
        (5, "network_media_focus_mastodon", "invalid_focus"),
    ]
    assert report.errors[0].column == "E"
    assert "from -1 to 1" in report.errors[0].message


@pytest.mark.django_db
def test_a_json_focus_point_out_of_range_names_its_place(setup) -> None:
    import json

    sha = f"sha256:{setup.media_asset.sha256}"
    posts = [
        {
            "scheduled_at": f"{future():%Y-%m-%d %H:%M}",
            "accounts": ["@acme"],
            "text": "Focus",
            "media": [{"url": sha, "focus": {"x": 0, "y": 1.01}}],
            "variants": [
                {"network": "mastodon", "media": [{"url": sha, "focus": {"x": -3, "y": 0}}]}
            ],
        },
        {"accounts": ["@acme"], "text": "Half a point", "media": [{"url": sha, "focus": {"x": 0}}]},
    ]
    report = _check(setup, json.dumps(posts))
    assert codes(report) == [
        (1, "media[0].focus", "invalid_focus"),
        (1, "variants[0].media[0].focus", "invalid_focus"),
        (2, "media[0].focus.y", "missing"),
    ]
