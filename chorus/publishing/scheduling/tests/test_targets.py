from datetime import datetime

import pytest

from chorus.publishing.models import Delivery, DeliveryState, Post, PostState
from chorus.publishing.scheduling.services import ScheduleError, schedule_at, set_targets
from chorus.publishing.scheduling.tests.helpers import MONDAY, NY, account, draft, limit, times

pytestmark = pytest.mark.django_db


def accounts_of(post: Post) -> list[str]:
    return sorted(Delivery.objects.filter(post=post).values_list("account__handle", flat=True))


def test_it_adds_and_drops_waiting_deliveries(tenants, own) -> None:
    b, c = account(tenants.workspace, "b"), account(tenants.workspace, "c", network="x")
    post = draft([own, b])
    assert accounts_of(post) == ["@acme", "@b"]
    set_targets(post, [b, c])
    assert accounts_of(post) == ["@b", "@c"]
    delivery = Delivery.objects.get(post=post, account=c)
    assert (delivery.state, delivery.network) == (DeliveryState.WAITING, "x")


def test_an_account_of_another_workspace_writes_nothing(tenants, own) -> None:
    post = Post.objects.create(workspace=tenants.workspace, text="Hi")
    with pytest.raises(ScheduleError) as caught:
        set_targets(post, [own, tenants.other_account])
    assert (caught.value.code, caught.value.field) == ("foreign_account", "accounts")
    assert not Delivery.objects.filter(post=post).exists()


def test_an_account_that_already_has_the_post_is_kept(tenants, own) -> None:
    b = account(tenants.workspace, "b")
    post = draft([own, b])
    Delivery.objects.filter(post=post, account=b).update(state=DeliveryState.PUBLISHED)
    with pytest.raises(ScheduleError) as caught:
        set_targets(post, [own])
    assert (caught.value.code, caught.value.field) == ("already_sent", "accounts")
    assert accounts_of(post) == ["@acme", "@b"]


def test_an_account_added_to_a_scheduled_post_is_scheduled_with_it(tenants, own) -> None:
    post = draft([own])
    schedule_at(post, datetime(2027, 3, 10, 9), NY, now=MONDAY)
    set_targets(post, [own, account(tenants.workspace, "late")])
    assert times(post) == [(DeliveryState.SCHEDULED, post.scheduled_at, post.scheduled_at)] * 2
    with pytest.raises(ScheduleError) as caught:
        set_targets(post, [])
    assert caught.value.code == "no_accounts"


def test_a_published_post_keeps_its_accounts(tenants, own) -> None:
    post = draft([own])
    Post.objects.filter(pk=post.pk).update(state=PostState.PUBLISHED)
    with pytest.raises(ScheduleError) as caught:
        set_targets(post, [account(tenants.workspace, "b")])
    assert caught.value.code == "not_editable"


def test_an_account_added_to_a_scheduled_post_keeps_its_daily_limit(tenants, own) -> None:
    late = account(tenants.workspace, "late")
    limit(late, 1)
    schedule_at(draft([late], "already"), datetime(2027, 3, 10, 8), "UTC", now=MONDAY)
    post = draft([own])
    schedule_at(post, datetime(2027, 3, 10, 9), "UTC", now=MONDAY)
    with pytest.raises(ScheduleError) as caught:
        set_targets(post, [own, late])
    assert caught.value.code == "daily_limit_reached"
    assert accounts_of(post) == ["@acme"]
