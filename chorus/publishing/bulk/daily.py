"""Daily limits over a whole import: the posts already on each account's day plus the
file's own, counted in file order, so the first row over the limit is the one named.

Days are local days in the workspace's zone, as chorus.publishing.scheduling.store counts
them for a single post."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date, datetime
from typing import Protocol

from django.utils.translation import gettext as _

from chorus.orgs.models import SocialAccount, Workspace
from chorus.publishing.models import AccountQueue, Delivery
from chorus.publishing.scheduling.store import OCCUPYING
from chorus.publishing.scheduling.zones import day_bounds, zone_info


class Timed(Protocol):
    @property
    def number(self) -> int: ...
    @property
    def instant(self) -> datetime | None: ...
    @property
    def targets(self) -> list[SocialAccount]: ...


def over_limit(workspace: Workspace, posts: Sequence[Timed]) -> list[tuple[int, str]]:
    """(row number, message) for every row that would pass an account's daily limit."""
    ids = {a.pk for p in posts if p.instant for a in p.targets}
    limits = dict(
        AccountQueue.objects.filter(account_id__in=ids, daily_limit__isnull=False).values_list(
            "account_id", "daily_limit"
        )
    )
    if not limits:
        return []
    tz = zone_info(workspace.time_zone)
    instants = [p.instant for p in posts if p.instant is not None]
    start = day_bounds(min(instants).astimezone(tz).date(), tz)[0]
    end = day_bounds(max(instants).astimezone(tz).date(), tz)[1]
    used: Counter[tuple[int, date]] = Counter(
        (account_id, instant.astimezone(tz).date())
        for account_id, instant in Delivery.objects.filter(
            account_id__in=list(limits),
            state__in=OCCUPYING,
            scheduled_for__gte=start,
            scheduled_for__lt=end,
        ).values_list("account_id", "scheduled_for")
        if instant is not None
    )
    found = []
    for post in sorted(posts, key=lambda p: p.number):
        if post.instant is None:
            continue
        day = post.instant.astimezone(tz).date()
        for account in post.targets:
            limit = limits.get(account.pk)
            if limit is None:
                continue
            if used[(account.pk, day)] >= limit:
                found.append(
                    (
                        post.number,
                        _(
                            "%(account)s would pass its daily limit (%(limit)s) on %(day)s. Choose "
                            "another day or raise the limit."
                        )
                        % {"account": account.handle, "limit": limit, "day": day.isoformat()},
                    )
                )
            else:
                used[(account.pk, day)] += 1
    return found
