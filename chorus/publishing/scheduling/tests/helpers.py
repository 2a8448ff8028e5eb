"""Rows for the scheduling tests: accounts, slots and posts in a New York workspace."""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import Any

from chorus.orgs.models import SocialAccount, Workspace
from chorus.publishing.models import AccountQueue, Delivery, Post, PostingSlot
from chorus.publishing.scheduling.services import set_targets
from chorus.publishing.scheduling.zones import from_utc, wall_to_utc

NY = "America/New_York"
# Monday 1 March 2027, 00:00 in New York.
MONDAY = datetime(2027, 3, 1, 5, 0, tzinfo=UTC)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def ny(*args: int) -> datetime:
    return wall_to_utc(datetime(*args), NY)


def wall(instant: datetime | None, zone: str = NY) -> datetime:
    assert instant is not None
    return from_utc(instant, zone).replace(tzinfo=None)


def in_new_york(workspace: Workspace) -> Workspace:
    workspace.time_zone = NY
    workspace.save(update_fields=["time_zone"])
    return workspace


def account(workspace: Workspace, name: str, network: str = "bluesky") -> SocialAccount:
    return SocialAccount.objects.create(
        workspace=workspace, network=network, remote_id=name, handle=f"@{name}"
    )


def slots(account: SocialAccount, *times: time, days: range = range(7)) -> None:
    PostingSlot.objects.bulk_create(
        PostingSlot(account=account, weekday=d, time=t) for d in days for t in times
    )


def limit(account: SocialAccount, n: int) -> None:
    AccountQueue.objects.update_or_create(account=account, defaults={"daily_limit": n})


def draft(accounts: list[SocialAccount], text: str = "Hello", **fields: Any) -> Post:
    post = Post.objects.create(workspace=accounts[0].workspace, text=text, **fields)
    set_targets(post, accounts)
    return post


def times(post: Post) -> list[tuple[str, datetime | None, datetime | None]]:
    return [
        (d.state, d.scheduled_for, d.due_at)
        for d in Delivery.objects.filter(post=post).order_by("account_id")
    ]
