from __future__ import annotations

import json
import threading
from typing import Any

import pytest

from chorus.connectors.contract import RemotePost
from chorus.connectors.mastodon import listening
from chorus.connectors.mastodon.listening import (
    HashtagTimeline,
    PublicTimeline,
    TimelineStream,
)
from chorus.connectors.mastodon.tests.conftest import serve
from chorus.connectors.mastodon.tests.replay import ReplayServer, fixture
from chorus.connectors.models import StreamCursor


@pytest.mark.django_db
def test_hashtag_timeline(account, replay) -> None:
    replay.replay("test_hashtag_tl", "GET")
    page = HashtagTimeline("#hoot", account=account, local=True).fetch()
    assert [(p.kind, p.remote_id, p.text) for p in page.items] == [
        ("post", "117020593741189701", "#hoot (hashtag toot)")
    ]
    sent = replay.requests_to("GET", "/api/v1/timelines/tag/hoot")[0]
    assert sent.query["local"] == ["1"] and sent.query["limit"] == ["40"]
    assert not replay.unexpected


@pytest.mark.django_db
def test_public_timeline_pages_backwards_with_max_id(account, replay) -> None:
    replay.replay("test_public_tl", "GET")
    serve(
        replay,
        "public_page_2",
        "GET",
        "/api/v1/timelines/public",
        query={"max_id": "117020574694606796"},
    )
    source = PublicTimeline(account=account, only_media=False)
    first = source.fetch()
    assert len(first.items) > 2
    assert first.cursor == "117020574694606796"
    older = source.fetch(first.cursor)
    assert [p.remote_id for p in older.items] == ["117020500000000002", "117020500000000001"]
    assert older.cursor == ""
    assert replay.received[-1].query["max_id"] == ["117020574694606796"]


@pytest.mark.django_db
def test_a_timeline_can_be_read_without_an_account(replay) -> None:
    replay.replay("test_public_tl", "GET")
    page = PublicTimeline(instance_url=replay.url, local=True).fetch()
    assert page.items
    sent = replay.requests_to("GET", "/api/v1/timelines/public")[0]
    assert sent.query["local"] == ["1"] and "authorization" not in sent.headers


def _event_stream(statuses: list[dict[str, Any]]) -> str:
    # https://docs.joinmastodon.org/methods/streaming/#events: one "update" event per
    # new status, its data the Status as JSON; lines starting with ":" are heartbeats.
    events = [f"event: update\ndata: {json.dumps(s)}\n\n" for s in statuses]
    return ":)\n\n" + "".join(events)


def _streaming_instance(replay: ReplayServer, *, healthy: bool = True) -> None:
    replay.replay("test_instance")
    replay.replay("test_instance_v1")
    if healthy:
        serve(replay, "streaming_health", "GET", "/api/v1/streaming/health")
    else:
        replay.add("GET", "/api/v1/streaming/health", status=503, body="Service Unavailable")
    replay.add(
        "GET",
        "/api/v1/streaming/hashtag",
        body=_event_stream(fixture("stream_updates")["body"]),
        headers={"content-type": "text/event-stream"},
        query={"tag": "hoot"},
    )


def _collect(source: TimelineStream, count: int) -> list[RemotePost]:
    items: list[RemotePost] = []
    stop = threading.Event()

    def on_item(item: RemotePost) -> None:
        items.append(item)
        if len(items) >= count:
            stop.set()

    source.retry_seconds = 0.01
    source.run(on_item, stop)
    return items


@pytest.mark.django_db
def test_a_stream_starts_from_the_latest_page_then_streams(account, replay) -> None:
    _streaming_instance(replay)
    replay.replay("test_hashtag_tl", "GET /api/v1/timelines")
    replay.add("GET", "/api/v1/timelines/tag/hoot", json_body=[])
    source = TimelineStream(HashtagTimeline("hoot", account=account))
    items = _collect(source, 3)
    assert [p.remote_id for p in items] == [
        "117020593741189701",
        "117020700000000001",
        "117020700000000002",
    ]
    assert items[1].text == "#hoot streamed one"
    host = replay.url.split("//")[1]
    assert source.key == f"mastodon:{host}:tag:hoot"
    assert StreamCursor.objects.get(source=source.key).cursor == "117020700000000002"
    assert replay.requests_to("GET", "/api/v1/streaming/hashtag")[0].headers["authorization"]


@pytest.mark.django_db
def test_a_restarted_stream_reads_what_it_missed_first(account, replay) -> None:
    _streaming_instance(replay)
    source = TimelineStream(HashtagTimeline("hoot", account=account))
    source.save_cursor("117020600000000000")
    serve(
        replay,
        "backfill",
        "GET",
        "/api/v1/timelines/tag/hoot",
        query={"min_id": "117020600000000000"},
    )
    replay.add("GET", "/api/v1/timelines/tag/hoot", json_body=[])
    items = _collect(source, 4)
    assert [p.text for p in items] == [
        "#hoot missed one",
        "#hoot missed two",
        "#hoot streamed one",
        "#hoot streamed two",
    ]
    assert source.saved_cursor() == "117020700000000002"


@pytest.mark.django_db
def test_without_a_healthy_streaming_server_it_polls(account, replay) -> None:
    _streaming_instance(replay, healthy=False)
    source = TimelineStream(HashtagTimeline("hoot", account=account))
    source.save_cursor("117020600000000000")
    serve(
        replay,
        "backfill",
        "GET",
        "/api/v1/timelines/tag/hoot",
        query={"min_id": "117020600000000000"},
    )
    replay.add("GET", "/api/v1/timelines/tag/hoot", json_body=[])
    items = _collect(source, 2)
    assert [p.remote_id for p in items] == ["117020650000000001", "117020650000000002"]
    assert not replay.requests_to("GET", "/api/v1/streaming/hashtag")


def test_sources_refuse_impossible_settings() -> None:
    with pytest.raises(ValueError, match="account or an instance URL"):
        PublicTimeline()
    with pytest.raises(ValueError, match="local or remote"):
        PublicTimeline(instance_url="https://mastodon.example", local=True, remote=True)
    with pytest.raises(ValueError, match="needs a hashtag"):
        HashtagTimeline("#", instance_url="https://mastodon.example")


def _hoot(status_id: str, text: str) -> dict[str, Any]:
    base = fixture("backfill")["body"][0]
    return {**base, "id": status_id, "content": f"<p>{text}</p>"}


@pytest.mark.django_db
def test_a_backfill_is_handed_over_page_by_page_and_capped(account, replay, monkeypatch) -> None:
    _streaming_instance(replay, healthy=False)
    monkeypatch.setattr(listening, "BACKFILL_PAGES", 2)
    path = "/api/v1/timelines/tag/hoot"
    # Pages of two (newest first, as Mastodon answers min_id), each after the last.
    replay.add(
        "GET",
        path,
        json_body=[_hoot("117020600000000002", "b"), _hoot("117020600000000001", "a")],
        query={"min_id": "117020600000000000"},
    )
    replay.add(
        "GET",
        path,
        json_body=[_hoot("117020600000000004", "d"), _hoot("117020600000000003", "c")],
        query={"min_id": "117020600000000002"},
    )
    replay.add("GET", path, json_body=[])
    source = TimelineStream(HashtagTimeline("hoot", account=account, limit=2))
    source.save_cursor("117020600000000000")
    requests_when_handed: list[int] = []
    items: list[RemotePost] = []
    stop = threading.Event()

    def on_item(item: RemotePost) -> None:
        items.append(item)
        requests_when_handed.append(len(replay.requests_to("GET", path)))
        if len(items) == 4:
            stop.set()

    source.retry_seconds = 0.01
    source.run(on_item, stop)
    assert [p.text for p in items] == ["a", "b", "c", "d"]
    # The first page was handed over before the second was read.
    assert requests_when_handed == [1, 1, 2, 2]
    # Two pages, then no third (the cap), though the second was full.
    assert [r.query.get("min_id") for r in replay.requests_to("GET", path)] == [
        ["117020600000000000"],
        ["117020600000000002"],
    ]


@pytest.mark.django_db
def test_late_statuses_with_smaller_ids_are_kept_and_repeats_dropped(account, replay) -> None:
    replay.replay("test_instance")
    serve(replay, "streaming_health", "GET", "/api/v1/streaming/health")
    streamed = [
        _hoot("117020700000000005", "new"),
        _hoot("117020700000000001", "federated late"),
        _hoot("117020700000000005", "new"),
        _hoot("117020700000000006", "newest"),
    ]
    replay.add(
        "GET",
        "/api/v1/streaming/hashtag",
        body=_event_stream(streamed),
        headers={"content-type": "text/event-stream"},
        query={"tag": "hoot"},
    )
    replay.add("GET", "/api/v1/timelines/tag/hoot", json_body=[])
    source = TimelineStream(HashtagTimeline("hoot", account=account))
    source.save_cursor("117020600000000000")
    items = _collect(source, 3)
    assert [p.remote_id for p in items] == [
        "117020700000000005",
        "117020700000000001",
        "117020700000000006",
    ]
    assert source.saved_cursor() == "117020700000000006"


@pytest.mark.django_db
def test_a_failing_backfill_is_logged_and_tried_again(account, replay, caplog) -> None:
    _streaming_instance(replay, healthy=False)
    path = "/api/v1/timelines/tag/hoot"
    replay.add(
        "GET",
        path,
        status=503,
        body="Service Unavailable",
        headers={"content-type": "text/plain"},
        query={"min_id": "117020600000000000"},
    )
    serve(replay, "backfill", "GET", path, query={"min_id": "117020600000000000"})
    replay.add("GET", path, json_body=[])
    source = TimelineStream(HashtagTimeline("hoot", account=account))
    source.save_cursor("117020600000000000")
    with caplog.at_level("WARNING", logger="chorus.connectors.mastodon.listening"):
        items = _collect(source, 2)
    assert [p.remote_id for p in items] == ["117020650000000001", "117020650000000002"]
    assert any("trying again" in r.getMessage() for r in caplog.records)
    assert len(replay.requests_to("GET", path)) == 2
