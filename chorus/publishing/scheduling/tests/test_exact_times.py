from datetime import date, datetime, timedelta

import pytest

from chorus.publishing.models import Delivery, DeliveryState, Post, PostState
from chorus.publishing.scheduling.services import (
    ScheduleError,
    pause_queue,
    reschedule_keeping_time,
    schedule_at,
    share_now,
)
from chorus.publishing.scheduling.tests.helpers import (
    MONDAY,
    NY,
    account,
    draft,
    in_new_york,
    limit,
    times,
    utc,
    wall,
)
from chorus.publishing.states import TransitionError

pytestmark = pytest.mark.django_db

S = DeliveryState.SCHEDULED


def test_it_schedules_every_delivery_at_the_instant_of_the_local_time(tenants, own) -> None:
    second = account(tenants.workspace, "second")
    post = draft([own, second])
    schedule_at(post, datetime(2027, 3, 10, 9, 0), "Europe/Berlin", now=MONDAY)
    assert post.state == PostState.SCHEDULED
    assert (post.scheduled_at, post.time_zone, post.queued) == (
        utc(2027, 3, 10, 8, 0),
        "Europe/Berlin",
        False,
    )
    instant = utc(2027, 3, 10, 8, 0)
    assert times(post) == [(S, instant, instant), (S, instant, instant)]
    assert Post.objects.get(pk=post.pk).state == PostState.SCHEDULED


def test_rescheduling_a_scheduled_post_moves_it_and_bumps_its_version(tenants, own) -> None:
    post = draft([own])
    schedule_at(post, datetime(2027, 3, 10, 9, 0), NY, now=MONDAY)
    version = post.version
    schedule_at(post, datetime(2027, 3, 11, 10, 0), NY, now=MONDAY)
    assert post.version == version + 1
    assert times(post) == [(S, utc(2027, 3, 11, 15), utc(2027, 3, 11, 15))]


def test_a_time_in_the_past_is_refused_but_a_minute_of_grace_is_given(tenants, own) -> None:
    post = draft([own])
    with pytest.raises(ScheduleError) as caught:
        schedule_at(post, datetime(2027, 2, 28, 23, 58), NY, now=MONDAY)  # 2 minutes ago
    assert (caught.value.code, caught.value.field) == ("in_past", "scheduled_at")
    assert times(post) == [(DeliveryState.WAITING, None, None)]
    schedule_at(post, datetime(2027, 2, 28, 23, 59, 30), NY, now=MONDAY)
    assert post.state == PostState.SCHEDULED


def test_gap_and_overlap_times_are_refused_and_fold_picks_the_instant(tenants, own) -> None:
    post = draft([own])
    with pytest.raises(ScheduleError) as caught:
        schedule_at(post, datetime(2027, 3, 14, 2, 30), NY, now=MONDAY)
    assert (caught.value.code, caught.value.field) == ("nonexistent_time", "scheduled_at")
    with pytest.raises(ScheduleError) as caught:
        schedule_at(post, datetime(2027, 11, 7, 1, 30), NY, now=MONDAY)
    assert caught.value.code == "ambiguous_time"
    assert post.state == PostState.DRAFT
    schedule_at(post, datetime(2027, 11, 7, 1, 30), NY, fold=1, now=MONDAY)
    assert post.scheduled_at == utc(2027, 11, 7, 6, 30)


def test_an_unknown_zone_is_refused_on_its_field(tenants, own) -> None:
    post = draft([own])
    with pytest.raises(ScheduleError) as caught:
        schedule_at(post, datetime(2027, 3, 10, 9), "Nowhere/Land", now=MONDAY)
    assert caught.value.field == "time_zone"


def test_a_post_without_accounts_cannot_be_scheduled(tenants) -> None:
    post = Post.objects.create(workspace=tenants.workspace, text="Nobody")
    with pytest.raises(ScheduleError) as caught:
        schedule_at(post, datetime(2027, 3, 10, 9), NY, now=MONDAY)
    assert (caught.value.code, caught.value.field) == ("no_accounts", "accounts")


def test_a_full_day_on_one_account_schedules_nothing_on_any(tenants, own) -> None:
    in_new_york(tenants.workspace)
    busy = account(tenants.workspace, "busy")
    limit(busy, 1)
    schedule_at(draft([busy], "first"), datetime(2027, 3, 10, 8, 0), NY, now=MONDAY)
    post = draft([own, busy])
    with pytest.raises(ScheduleError) as caught:
        schedule_at(post, datetime(2027, 3, 10, 23, 0), NY, now=MONDAY)
    assert (caught.value.code, caught.value.field) == ("daily_limit_reached", "scheduled_at")
    assert "@busy" in caught.value.message
    # Nothing half-scheduled: neither delivery moved, and the post is still a draft,
    # in the database and in the caller's object.
    assert times(post) == [(DeliveryState.WAITING, None, None)] * 2
    assert post.state == PostState.DRAFT and post.scheduled_at is None
    assert Post.objects.get(pk=post.pk).state == PostState.DRAFT
    # Days are New York days: 23:30 on the 10th is 03:30 UTC on the 11th, yet it is on
    # the full 10th; 00:30 on the 11th starts a new day.
    with pytest.raises(ScheduleError):
        schedule_at(post, datetime(2027, 3, 10, 23, 30), NY, now=MONDAY)
    schedule_at(post, datetime(2027, 3, 11, 0, 30), NY, now=MONDAY)


def test_a_post_being_published_is_not_rescheduled(tenants, own) -> None:
    post = draft([own])
    Delivery.objects.filter(post=post).update(state=DeliveryState.SENDING)
    with pytest.raises(ScheduleError) as caught:
        schedule_at(post, datetime(2027, 3, 10, 9), NY, now=MONDAY)
    assert caught.value.code == "in_flight"


def test_a_published_post_cannot_be_scheduled_again(tenants, own) -> None:
    post = draft([own])
    Post.objects.filter(pk=post.pk).update(state=PostState.PUBLISHED)
    post.refresh_from_db()
    with pytest.raises(TransitionError):
        schedule_at(post, datetime(2027, 3, 10, 9), NY, now=MONDAY)
    assert times(post) == [(DeliveryState.WAITING, None, None)]


@pytest.mark.parametrize(
    ("zone", "before", "after"),
    [
        (NY, utc(2027, 3, 10, 14), utc(2027, 3, 17, 13)),
        ("Europe/Berlin", utc(2027, 10, 27, 7), utc(2027, 11, 3, 8)),
        ("Asia/Vientiane", utc(2027, 3, 10, 2), utc(2027, 3, 17, 2)),
    ],
)
def test_drag_and_drop_keeps_the_local_time_across_a_dst_change(
    tenants, own, zone: str, before: datetime, after: datetime
) -> None:
    post = draft([own])
    local = wall(before, zone)
    schedule_at(post, local, zone, now=MONDAY)
    assert post.scheduled_at == before
    reschedule_keeping_time(post, local.date() + timedelta(days=7), now=MONDAY)
    assert post.scheduled_at == after
    assert wall(post.scheduled_at, zone).time() == local.time()


def test_dragging_onto_a_day_where_the_time_does_not_exist_says_so(tenants, own) -> None:
    post = draft([own])
    schedule_at(post, datetime(2027, 3, 7, 2, 30), NY, now=MONDAY)
    with pytest.raises(ScheduleError) as caught:
        reschedule_keeping_time(post, date(2027, 3, 14), now=MONDAY)
    assert caught.value.code == "nonexistent_time"
    assert post.scheduled_at == utc(2027, 3, 7, 7, 30)


def test_an_unscheduled_post_has_no_time_to_keep(tenants, own) -> None:
    with pytest.raises(ScheduleError) as caught:
        reschedule_keeping_time(draft([own]), date(2027, 3, 14))
    assert caught.value.field == "scheduled_at"


def test_share_now_makes_every_delivery_due_now(tenants, own) -> None:
    post = draft([own, account(tenants.workspace, "b")])
    share_now(post, now=MONDAY)
    assert times(post) == [(S, MONDAY, MONDAY)] * 2
    assert post.state == PostState.SCHEDULED and not post.queued


def test_share_now_on_a_paused_queue_is_refused(tenants, own) -> None:
    post = draft([own])
    pause_queue(own)
    with pytest.raises(ScheduleError) as caught:
        share_now(post, now=MONDAY)
    assert (caught.value.code, caught.value.field) == ("queue_paused", "accounts")
    assert post.state == PostState.DRAFT
