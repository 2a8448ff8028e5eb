"""Which accounts a post goes to: one Delivery row per account."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext_lazy as _

from chorus.orgs.models import SocialAccount
from chorus.publishing import states
from chorus.publishing.models import Delivery, DeliveryState, Post, PostState
from chorus.publishing.scheduling import store
from chorus.publishing.scheduling.errors import ScheduleError

# A delivery in one of these states has not reached the network, so it can be dropped.
REMOVABLE = (
    DeliveryState.WAITING,
    DeliveryState.SCHEDULED,
    DeliveryState.FAILED,
    DeliveryState.CANCELLED,
)


def set_targets(post: Post, accounts: Iterable[SocialAccount]) -> None:
    """Make `accounts` the post's targets: add a delivery per new account, drop the
    deliveries of accounts no longer wanted (only while nothing was sent to them).

    New deliveries are waiting; on a post that is already scheduled they are scheduled
    at the post's time (within the new account's daily limit), so an account added later
    is not silently left out.
    """
    wanted = {a.pk: a for a in accounts}
    for account in wanted.values():
        if account.workspace_id != post.workspace_id:
            raise ScheduleError(
                "foreign_account",
                "accounts",
                _("%(account)s is not connected to this workspace."),
                {"account": account.handle},
            )
    with store.all_or_nothing(post):
        queues = store.lock_queues(wanted)
        store.lock_post(post)
        if post.state not in states.EDITABLE:
            raise ScheduleError(
                "not_editable",
                "accounts",
                _("A post that is publishing or published keeps its accounts."),
            )
        existing = {d.account_id: d for d in post.deliveries.select_related("account")}
        dropped = [d for account_id, d in existing.items() if account_id not in wanted]
        for delivery in dropped:
            if delivery.state not in REMOVABLE:
                raise ScheduleError(
                    "already_sent",
                    "accounts",
                    _("%(account)s already has this post, or is publishing it right now."),
                    {"account": delivery.account.handle},
                )
        if not wanted and post.state == PostState.SCHEDULED:
            raise ScheduleError(
                "no_accounts", "accounts", _("Choose at least one account to post to.")
            )
        Delivery.objects.filter(pk__in=[d.pk for d in dropped]).delete()
        on_time = post.state == PostState.SCHEDULED and post.scheduled_at is not None
        if on_time and post.scheduled_at is not None:
            for account_id, account in sorted(wanted.items()):
                if account_id not in existing:
                    store.check_daily_limit(account, queues[account_id], post.scheduled_at, post)
        Delivery.objects.bulk_create(
            [
                Delivery(
                    post=post,
                    account=account,
                    network=account.network,
                    state=DeliveryState.SCHEDULED if on_time else DeliveryState.WAITING,
                    scheduled_for=post.scheduled_at if on_time else None,
                    due_at=post.scheduled_at if on_time else None,
                )
                for account_id, account in sorted(wanted.items())
                if account_id not in existing
            ]
        )
