import logging
from datetime import datetime, time

import pytest
from django.utils import timezone

from chorus.media.models import MediaAsset
from chorus.publishing.models import (
    Campaign,
    Delivery,
    DeliveryState,
    Post,
    PostMedia,
    PostState,
    PostVariant,
    Tag,
)
from chorus.publishing.scheduling.services import next_repeat, pause_queue, schedule_at
from chorus.publishing.scheduling.tests.helpers import (
    MONDAY,
    NY,
    account,
    draft,
    in_new_york,
    ny,
    slots,
    times,
    utc,
    wall,
)

pytestmark = pytest.mark.django_db


def publish(post: Post) -> Post:
    Post.objects.filter(pk=post.pk).update(state=PostState.PUBLISHED, published_at=timezone.now())
    Delivery.objects.filter(post=post).update(state=DeliveryState.PUBLISHED)
    post.refresh_from_db()
    return post


def recurring(own, rule: str = "FREQ=DAILY", **fields) -> Post:
    post = draft([own, account(own.workspace, "b")], recurrence=rule, **fields)
    schedule_at(post, datetime(2027, 3, 12, 9), NY, now=MONDAY)
    return publish(post)


def test_a_daily_post_repeats_at_0900_local_across_the_dst_change(tenants, own) -> None:
    root = recurring(own)
    friday = next_repeat(root, now=ny(2027, 3, 12, 9, 1))
    assert friday is not None
    assert (friday.state, friday.scheduled_at) == (PostState.SCHEDULED, utc(2027, 3, 13, 14))
    saturday = next_repeat(publish(friday), now=ny(2027, 3, 13, 9, 1))
    assert saturday is not None
    # Sunday 14 March, clocks went forward: still 09:00 in New York, an hour earlier in UTC.
    assert saturday.scheduled_at == utc(2027, 3, 14, 13)
    assert wall(saturday.scheduled_at) == datetime(2027, 3, 14, 9)
    assert friday.series_origin == root and saturday.series_origin == root
    assert [t[0] for t in times(saturday)] == [DeliveryState.SCHEDULED] * 2


def test_the_repeat_copies_content_variants_media_tags_and_campaign(tenants, own) -> None:
    campaign = Campaign.objects.create(workspace=tenants.workspace, name="Spring")
    root = recurring(own, link="https://example.com/a", campaign=campaign)
    root.tags.set([Tag.objects.create(workspace=tenants.workspace, name="news")])
    PostVariant.objects.create(post=root, network="bluesky", text="short", thread=["two"])
    asset = MediaAsset.objects.create(
        workspace=tenants.workspace,
        file="media/a.png",
        original_name="a.png",
        kind="image",
        mime_type="image/png",
        size_bytes=10,
        sha256="0" * 64,
    )
    PostMedia.objects.create(
        post=root, asset=asset, position=1, alt_text="A cat", focus_x=0.25, focus_y=-0.5
    )
    copy = next_repeat(root, now=ny(2027, 3, 12, 9, 1))
    assert copy is not None
    assert (copy.text, copy.link, copy.campaign, copy.recurrence, copy.time_zone) == (
        root.text,
        root.link,
        campaign,
        "FREQ=DAILY",
        NY,
    )
    assert [t.name for t in copy.tags.all()] == ["news"]
    assert list(copy.variants.values_list("network", "text", "thread")) == [
        ("bluesky", "short", ["two"])
    ]
    assert list(copy.media.values_list("asset", "position", "alt_text")) == [(asset.pk, 1, "A cat")]
    assert copy.media.get().focus == (0.25, -0.5)
    assert sorted(copy.deliveries.values_list("account__handle", flat=True)) == ["@acme", "@b"]


def test_calling_it_twice_makes_one_repeat(tenants, own) -> None:
    root = recurring(own)
    first = next_repeat(root, now=ny(2027, 3, 12, 9, 1))
    again = next_repeat(root, now=ny(2027, 3, 12, 9, 2))
    assert first == again
    assert Post.objects.filter(series_origin=root).count() == 1


def test_count_is_counted_over_the_whole_series(tenants, own) -> None:
    root = recurring(own, rule="FREQ=DAILY;COUNT=2")
    second = next_repeat(root, now=ny(2027, 3, 12, 9, 1))
    assert second is not None
    assert next_repeat(publish(second), now=ny(2027, 3, 13, 9, 1)) is None


def test_occurrences_missed_while_down_are_skipped(tenants, own) -> None:
    root = recurring(own)
    copy = next_repeat(root, now=ny(2027, 3, 20, 12))
    assert copy is not None
    assert wall(copy.scheduled_at) == datetime(2027, 3, 21, 9)


def test_an_evergreen_post_goes_back_into_the_queue(tenants, own) -> None:
    in_new_york(tenants.workspace)
    slots(own, time(9))
    post = draft([own], evergreen=True)
    share = ny(2027, 3, 1, 10)
    schedule_at(post, wall(share), NY, now=MONDAY)
    copy = next_repeat(publish(post), now=share)
    assert copy is not None
    assert copy.queued and copy.evergreen and copy.state == PostState.SCHEDULED
    assert wall(copy.scheduled_at) == datetime(2027, 3, 2, 9)


def test_a_repeat_that_cannot_be_queued_stays_a_draft(tenants, own, caplog) -> None:
    in_new_york(tenants.workspace)
    slots(own, time(9))
    post = draft([own], evergreen=True)
    schedule_at(post, datetime(2027, 3, 1, 10), NY, now=MONDAY)
    pause_queue(own)
    with caplog.at_level(logging.WARNING, logger="chorus.publishing.scheduling.repeats"):
        copy = next_repeat(publish(post), now=ny(2027, 3, 1, 10))
    assert copy is not None and copy.state == PostState.DRAFT
    assert "queue_paused" in caplog.text
    assert times(copy) == [(DeliveryState.WAITING, None, None)]


def test_posts_that_do_not_repeat_or_are_not_published_have_no_next(tenants, own) -> None:
    plain = publish(draft([own]))
    assert next_repeat(plain) is None
    pending = draft([own], recurrence="FREQ=DAILY")
    assert next_repeat(pending) is None
    assert not Post.objects.filter(series_origin__isnull=False).exists()
