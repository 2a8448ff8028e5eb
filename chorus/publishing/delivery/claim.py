"""Claiming due deliveries, so that each is worked on by one worker at a time.

On PostgreSQL the candidates are read with FOR UPDATE SKIP LOCKED, so any number of
workers take disjoint rows without waiting on one another; the accounts' queue rows are
locked the same way, so per-account limits hold across workers. Deliveries of an account
that needs reconnecting are not taken at all until it is reconnected. On SQLite, IMMEDIATE
transactions (see settings) serialise claimers, and the same code is simply exclusive.

A claim is a lease: the row says who holds it and until when. A worker killed with
SIGKILL leaves a lease that expires; `sweep_expired` turns such rows into "unknown"
deliveries, which the next worker settles by asking the network before sending again.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F, Q

from chorus.connectors.registry import connector_for
from chorus.orgs.models import SocialAccount
from chorus.publishing.models import (
    CLAIMABLE,
    AccountQueue,
    AttemptOutcome,
    Delivery,
    DeliveryAttempt,
    DeliveryState,
)

# Candidates read per free slot: more than one, so a busy account does not starve others.
LOOKAHEAD = 4


def claim_due(worker_id: str, limit: int, now: datetime, lease_seconds: float) -> list[Delivery]:
    if limit <= 0:
        return []
    with transaction.atomic():
        candidates = list(
            Delivery.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(state__in=CLAIMABLE, due_at__lte=now)
            # They wait for the account to be reconnected, then go out (at once when
            # their time has passed meanwhile). A disconnected account's deliveries are
            # still claimed: the engine fails them, saying why.
            .exclude(account__status=SocialAccount.Status.NEEDS_RECONNECT)
            .exclude(account__queue__paused=True)
            .exclude(account__queue__throttled_until__gt=now)
            .order_by("due_at", "pk")
            .values_list("pk", "account_id", "network")[: limit * LOOKAHEAD]
        )
        if not candidates:
            return []
        account_ids = {account for _, account, _ in candidates}
        AccountQueue.objects.bulk_create(
            [AccountQueue(account_id=a) for a in account_ids], ignore_conflicts=True
        )
        # Accounts another worker is claiming for right now are left for the next round.
        free_accounts = set(
            AccountQueue.objects.select_for_update(skip_locked=True)
            .filter(account_id__in=account_ids)
            .values_list("account_id", flat=True)
        )
        networks = {network for _, _, network in candidates}
        busy_accounts = Counter(
            Delivery.objects.filter(
                state=DeliveryState.SENDING, account_id__in=free_accounts
            ).values_list("account_id", flat=True)
        )
        busy_networks = Counter(
            Delivery.objects.filter(state=DeliveryState.SENDING, network__in=networks).values_list(
                "network", flat=True
            )
        )
        picked: list[int] = []
        for pk, account, network in candidates:
            if len(picked) >= limit:
                break
            budget = connector_for(network).budget
            if account not in free_accounts:
                continue
            if busy_accounts[account] >= budget.in_flight_per_account:
                continue
            if busy_networks[network] >= budget.in_flight_per_network:
                continue
            busy_accounts[account] += 1
            busy_networks[network] += 1
            picked.append(pk)
        Delivery.objects.filter(pk__in=picked, state__in=CLAIMABLE).update(
            state=DeliveryState.SENDING,
            lease_owner=worker_id,
            lease_expires_at=now + timedelta(seconds=lease_seconds),
            attempts=F("attempts") + 1,
            updated_at=now,
        )
        claimed = list(
            Delivery.objects.filter(
                pk__in=picked, state=DeliveryState.SENDING, lease_owner=worker_id
            ).select_related("account", "post")
        )
        DeliveryAttempt.objects.bulk_create(
            [
                DeliveryAttempt(
                    delivery=d, number=d.attempts, worker=worker_id[:80], started_at=now
                )
                for d in claimed
            ]
        )
    return claimed


def renew(worker_id: str, ids: list[int], now: datetime, lease_seconds: float) -> int:
    if not ids:
        return 0
    return Delivery.objects.filter(
        pk__in=ids, state=DeliveryState.SENDING, lease_owner=worker_id
    ).update(lease_expires_at=now + timedelta(seconds=lease_seconds))


def sweep_expired(now: datetime) -> int:
    """Deliveries whose worker vanished mid-attempt: mark them to be checked first."""
    expired = list(
        Delivery.objects.filter(state=DeliveryState.SENDING, lease_expires_at__lt=now).values_list(
            "pk", "lease_owner"
        )[:500]
    )
    swept = 0
    for pk, owner in expired:
        with transaction.atomic():
            # Conditional on the same owner and an expired lease: a worker that renewed
            # its lease a moment ago keeps the delivery.
            changed = Delivery.objects.filter(
                Q(lease_expires_at__lt=now), pk=pk, state=DeliveryState.SENDING, lease_owner=owner
            ).update(
                state=DeliveryState.UNKNOWN,
                must_check=True,
                due_at=now,
                lease_owner="",
                lease_expires_at=None,
                last_error_code="worker_lost",
                last_error="The worker stopped in the middle of this attempt.",
                updated_at=now,
            )
            if changed:
                DeliveryAttempt.objects.filter(delivery_id=pk, finished_at__isnull=True).update(
                    finished_at=now,
                    outcome=AttemptOutcome.CRASHED,
                    message="The worker stopped in the middle of this attempt.",
                )
                swept += 1
    return swept
