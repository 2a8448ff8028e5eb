from datetime import datetime, time, timedelta

import pytest

from chorus.publishing.models import AccountQueue, Delivery, DeliveryState, Post, PostState
from chorus.publishing.scheduling.services import (
    ScheduleError,
    add_to_queue,
    pause_queue,
    resume_queue,
    schedule_at,
    set_daily_limit,
    share_next,
)
from chorus.publishing.scheduling.tests.helpers import (
    MONDAY,
    NY,
    account,
    draft,
    in_new_york,
    limit,
    ny,
    slots,
    times,
    wall,
)

pytestmark = pytest.mark.django_db

NINE, ONE_PM = time(9), time(13)


@pytest.fixture
def queue(tenants, own):
    """The Acme account with slots at 09:00 and 13:00 every day, New York time."""
    in_new_york(tenants.workspace)
    slots(own, NINE, ONE_PM)
    return own


def queued(acct, n: int) -> list[Post]:
    posts = []
    for i in range(n):
        post = draft([acct], f"post {i}")
        add_to_queue(post, now=MONDAY)
        posts.append(post)
    return posts


def walls(posts: list[Post]) -> list[datetime]:
    for post in posts:
        post.refresh_from_db()
    return [wall(p.scheduled_at) for p in posts]


def test_add_to_queue_fills_the_slots_in_order(queue) -> None:
    posts = queued(queue, 3)
    assert walls(posts) == [
        datetime(2027, 3, 1, 9),
        datetime(2027, 3, 1, 13),
        datetime(2027, 3, 2, 9),
    ]
    post = posts[0]
    assert post.queued and post.state == PostState.SCHEDULED and post.time_zone == NY
    assert times(post) == [(DeliveryState.SCHEDULED, post.scheduled_at, post.scheduled_at)]


def test_add_to_queue_goes_after_the_last_queued_post_not_into_holes(queue) -> None:
    first, second = queued(queue, 2)
    first.delete()
    (third,) = queued(queue, 1)
    assert walls([second, third]) == [datetime(2027, 3, 1, 13), datetime(2027, 3, 2, 9)]


def test_queue_slots_stay_at_local_time_across_dst(tenants, own) -> None:
    in_new_york(tenants.workspace)
    slots(own, NINE)
    posts = [draft([own], str(i)) for i in range(3)]
    for post in posts:
        add_to_queue(post, now=ny(2027, 3, 12, 12))
    assert [p.scheduled_at.hour for p in posts if p.scheduled_at] == [14, 13, 13]
    assert {wall(p.scheduled_at).time() for p in posts} == {NINE}


def test_a_post_to_several_accounts_takes_their_earliest_common_free_slot(queue, tenants) -> None:
    other = account(tenants.workspace, "other")
    slots(other, ONE_PM, days=range(1, 2))  # Tuesdays at 13:00 only
    queued(queue, 1)  # Monday 09:00
    post = draft([queue, other])
    add_to_queue(post, now=MONDAY)
    assert wall(post.scheduled_at) == datetime(2027, 3, 2, 13)
    assert {t[1] for t in times(post)} == {post.scheduled_at}


def test_daily_limits_skip_full_local_days(queue) -> None:
    limit(queue, 1)
    assert walls(queued(queue, 2)) == [datetime(2027, 3, 1, 9), datetime(2027, 3, 2, 9)]


def test_a_paused_queue_or_one_without_slots_is_refused_by_name(queue, tenants) -> None:
    pause_queue(queue)
    post = draft([queue])
    with pytest.raises(ScheduleError) as caught:
        add_to_queue(post, now=MONDAY)
    assert (caught.value.code, caught.value.field) == ("queue_paused", "accounts")
    assert "@acme" in caught.value.message
    bare = account(tenants.workspace, "bare")
    with pytest.raises(ScheduleError) as caught:
        share_next(draft([bare]), now=MONDAY)
    assert caught.value.code == "no_slots"
    assert post.state == PostState.DRAFT


def test_no_common_slot_is_a_clear_error(queue, tenants) -> None:
    other = account(tenants.workspace, "other")
    slots(other, time(10))
    post = draft([queue, other])
    with pytest.raises(ScheduleError) as caught:
        add_to_queue(post, now=MONDAY)
    assert (caught.value.code, caught.value.field) == ("no_free_slot", "accounts")
    assert times(post) == [(DeliveryState.WAITING, None, None)] * 2


def test_share_next_takes_the_first_slot_and_pushes_the_queue_back(queue) -> None:
    posts = queued(queue, 3)  # Mon 09, Mon 13, Tue 09
    versions = [p.version for p in posts]
    front = draft([queue], "urgent")
    share_next(front, now=MONDAY)
    assert wall(front.scheduled_at) == datetime(2027, 3, 1, 9)
    assert front.queued and front.state == PostState.SCHEDULED
    assert walls(posts) == [
        datetime(2027, 3, 1, 13),
        datetime(2027, 3, 2, 9),
        datetime(2027, 3, 2, 13),
    ]
    assert [p.version for p in posts] == [v + 1 for v in versions]
    for post in posts:
        assert times(post) == [(DeliveryState.SCHEDULED, post.scheduled_at, post.scheduled_at)]


def test_share_next_leaves_posts_at_chosen_times_alone(queue) -> None:
    fixed = draft([queue], "fixed")
    schedule_at(fixed, datetime(2027, 3, 1, 9), NY, now=MONDAY)
    (behind,) = queued(queue, 1)
    assert wall(behind.scheduled_at) == datetime(2027, 3, 1, 13)
    share_next(draft([queue], "urgent"), now=MONDAY)
    assert walls([fixed, behind]) == [datetime(2027, 3, 1, 9), datetime(2027, 3, 2, 9)]


def test_pausing_and_resuming_re_slots_queued_posts_whose_slot_passed(queue) -> None:
    missed, later = queued(queue, 2)  # Mon 09, Mon 13
    fixed = draft([queue], "fixed")
    schedule_at(fixed, datetime(2027, 3, 1, 10), NY, now=MONDAY)
    pause_queue(queue)
    assert AccountQueue.objects.get(account=queue).paused
    resume_queue(queue, now=ny(2027, 3, 1, 11))
    assert not AccountQueue.objects.get(account=queue).paused
    # The missed post takes the next free slot; the one behind it moves back one; the
    # post at a chosen time keeps it (and, being due, goes out now).
    assert walls([missed, later, fixed]) == [
        datetime(2027, 3, 1, 13),
        datetime(2027, 3, 2, 9),
        datetime(2027, 3, 1, 10),
    ]
    assert Delivery.objects.get(post=missed).due_at == missed.scheduled_at


def test_resuming_a_running_queue_changes_nothing(queue) -> None:
    (post,) = queued(queue, 1)
    resume_queue(queue, now=MONDAY + timedelta(days=3))
    assert walls([post]) == [datetime(2027, 3, 1, 9)]


@pytest.mark.parametrize("bad", [0, -1, 40000, True, "3", 2.5])
def test_a_bad_daily_limit_names_the_field(queue, bad) -> None:
    with pytest.raises(ScheduleError) as caught:
        set_daily_limit(queue, bad)
    assert caught.value.field == "daily_limit"


def test_the_daily_limit_is_stored_and_cleared(tenants, own) -> None:
    set_daily_limit(own, 3)
    assert AccountQueue.objects.get(account=own).daily_limit == 3
    set_daily_limit(own, None)
    assert AccountQueue.objects.get(account=own).daily_limit is None
