"""A post scheduled in Chorus for two Bluesky accounts and one Mastodon account goes out
at its time through the worker's delivery loop, once per account, with the remote URL kept.

The Bluesky accounts live on the real local AT Protocol network and are connected through
Chorus' own connect flow; the Mastodon account talks to the replay server that answers
with exchanges recorded against a real Mastodon server.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import timedelta

import httpx
import pytest
from django.utils import timezone

from chorus.connectors.bluesky.setup import connect_bluesky
from chorus.connectors.bluesky.tests import network
from chorus.connectors.mastodon.instance import summary
from chorus.connectors.mastodon.tests.conftest import recorded_instance
from chorus.connectors.mastodon.tests.replay import ReplayServer
from chorus.orgs.models import SocialAccount
from chorus.publishing.compose import service
from chorus.publishing.compose.inputs import PostInput
from chorus.publishing.delivery.config import EngineConfig
from chorus.publishing.delivery.loop import DeliveryLoop
from chorus.publishing.models import DeliveryState, Post, PostState
from chorus.publishing.scheduling import exact
from chorus.publishing.scheduling.zones import from_utc

pytestmark = pytest.mark.django_db(transaction=True)

ZONE = "Asia/Vientiane"
CONFIG = EngineConfig(
    lease_seconds=30,
    max_attempts=3,
    backoff_base=1,
    backoff_cap=5,
    check_delay=0,
    concurrency=4,
    poll_seconds=0.1,
)


@pytest.fixture
def mastodon() -> Iterator[ReplayServer]:
    server = ReplayServer()
    server.replay("test_toot", "POST /api/v1/statuses")
    yield server
    server.close()


def _mastodon_account(tenants, server: ReplayServer) -> SocialAccount:  # type: ignore[no-untyped-def]
    # As complete_authorization leaves it (the OAuth flow itself is tested in
    # chorus/connectors/mastodon/tests/test_setup.py).
    return SocialAccount.objects.create(
        workspace=tenants.workspace,
        network="mastodon",
        remote_id=f"117020565966271181@{server.url.split('//')[1]}",
        handle="@mastodonpy_test@localhost",
        credentials={
            "instance_url": server.url,
            "access_token": "__MASTODON_PY_TEST_ACCESS_TOKEN",
            "instance": summary(recorded_instance(), server.url),
        },
    )


def _posts_in_repo(did: str) -> list[dict[str, object]]:
    answer = httpx.get(
        f"{network.PDS}/xrpc/com.atproto.repo.listRecords",
        params={"repo": did, "collection": "app.bsky.feed.post", "limit": 100},
        timeout=30,
    )
    answer.raise_for_status()
    return list(answer.json()["records"])


def test_a_scheduled_post_goes_out_once_per_account_at_its_time(tenants, mastodon) -> None:
    network.ensure_running()
    manager = tenants.users["manager"]
    people = [network.create_account("e2e"), network.create_account("e2e")]
    bluesky = [
        connect_bluesky(
            manager,
            tenants.workspace,
            identifier=person.handle,
            app_password=person.app_password,
            service_url=network.PDS,
        )
        for person in people
    ]
    fediverse = _mastodon_account(tenants, mastodon)
    text = "Launch day at 09:00 in Vientiane 🚀 ສະບາຍດີ #chorus"
    post = service.create_post(
        tenants.workspace,
        manager,
        PostInput(text=text, account_ids=[a.pk for a in [*bluesky, fediverse]]),
    )
    due = timezone.now().replace(microsecond=0) + timedelta(seconds=3)
    exact.schedule_at(post, from_utc(due, ZONE).replace(tzinfo=None), ZONE)
    post.refresh_from_db()
    assert post.state == PostState.SCHEDULED and post.scheduled_at == due

    worker = DeliveryLoop("e2e-worker", CONFIG)
    worker.start()
    try:
        deadline = time.monotonic() + 60
        while Post.objects.get(pk=post.pk).state != PostState.PUBLISHED:
            assert time.monotonic() < deadline, list(post.deliveries.values("state", "last_error"))
            time.sleep(0.2)
    finally:
        worker.stop()
        worker.join(30)

    deliveries = {d.account_id: d for d in post.deliveries.all()}
    assert {d.state for d in deliveries.values()} == {DeliveryState.PUBLISHED}
    for delivery in deliveries.values():
        first = delivery.log.order_by("started_at").first()
        assert first is not None and first.started_at >= due
    for account, person in zip(bluesky, people, strict=True):
        records = _posts_in_repo(person.did)
        assert [r["value"]["text"] for r in records] == [text]  # type: ignore[index]
        delivery = deliveries[account.pk]
        assert delivery.remote_id == records[0]["uri"]
        rkey = str(records[0]["uri"]).rsplit("/", 1)[1]
        assert delivery.remote_url == f"https://bsky.app/profile/{person.handle}/post/{rkey}"
    (sent,) = mastodon.requests_to("POST", "/api/v1/statuses")
    assert sent.form()["status"] == [text]
    toot = deliveries[fediverse.pk]
    # The id and address Mastodon gave the recorded status.
    assert toot.remote_id == "117020585846976096"
    assert toot.remote_url == f"{mastodon.url}/@mastodonpy_test/117020585846976096"
