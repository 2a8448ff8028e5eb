"""Account health: asking each network whether an account's credentials still work.

The answer is recorded on the account (last success, last error, status) so the accounts
page can say what to do next. Only AuthError changes the status: a network that is down
says nothing about the credentials.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from chorus.connectors import registry
from chorus.connectors.errors import AuthError, ConnectorError
from chorus.orgs.models import SocialAccount
from chorus.publishing import signals

if TYPE_CHECKING:
    from django.db.models import QuerySet

logger = logging.getLogger(__name__)

ERROR_MAX = 2000
DEFAULT_CHECK_HOURS = 6.0
DEFAULT_CHECK_BATCH = 50


def check_hours() -> float:
    return float(getattr(settings, "CHORUS_ACCOUNT_CHECK_HOURS", DEFAULT_CHECK_HOURS))


def check_account(account: SocialAccount) -> bool:
    """Ask the account's network whether its credentials work; record and return the answer.

    Callers authorize first (the accounts page, the API); the periodic duty acts for the
    installation.
    """
    if account.status == SocialAccount.Status.DISCONNECTED:
        raise ValidationError(_("This account is disconnected. Connect it again to use it."))
    try:
        connector = registry.connector_for(account.network)
    except LookupError:
        _record_error(
            account,
            _("This Chorus installation has no connector for %(network)s.")
            % {"network": account.network},
        )
        return False
    try:
        connector.check(account)
    except AuthError as error:
        _needs_reconnect(account, error.message or error.code)
        return False
    except ConnectorError as error:
        _record_error(account, error.message or error.code)
        return False
    except DatabaseError:
        raise
    except Exception:
        # A connector's bug: say so on the page instead of failing it; the log has why.
        logger.exception("Connector check of account %s failed", account.pk)
        _record_error(account, _("Chorus could not check this account (an internal error)."))
        return False
    _record_success(account)
    return True


def _record_success(account: SocialAccount) -> None:
    # Field updates, not save(): the check itself may have stored a refreshed session.
    now = timezone.now()
    rows = SocialAccount.objects.filter(pk=account.pk)
    rows.update(last_success_at=now, last_checked_at=now, last_error="")
    # Only a passing check brings back an account that needed reconnecting; a
    # disconnected one stays disconnected until someone connects it.
    rows.filter(status=SocialAccount.Status.NEEDS_RECONNECT).update(
        status=SocialAccount.Status.ACTIVE
    )
    account.last_success_at = account.last_checked_at = now
    account.last_error = ""
    if account.status == SocialAccount.Status.NEEDS_RECONNECT:
        account.status = SocialAccount.Status.ACTIVE


def _record_error(account: SocialAccount, message: str) -> None:
    message = message[:ERROR_MAX]
    now = timezone.now()
    SocialAccount.objects.filter(pk=account.pk).update(last_error=message, last_checked_at=now)
    account.last_error = message
    account.last_checked_at = now


def _needs_reconnect(account: SocialAccount, message: str) -> None:
    """Mark the account, and tell people once: as the delivery engine does."""
    message = message[:ERROR_MAX]
    now = timezone.now()
    rows = SocialAccount.objects.filter(pk=account.pk)
    changed = rows.filter(status=SocialAccount.Status.ACTIVE).update(
        status=SocialAccount.Status.NEEDS_RECONNECT, last_error=message, last_checked_at=now
    )
    if not changed:
        rows.update(last_error=message, last_checked_at=now)
    account.last_error = message
    account.last_checked_at = now
    if changed:
        account.status = SocialAccount.Status.NEEDS_RECONNECT
        signals.account_needs_reconnect.send(sender=SocialAccount, account=account, message=message)


def _due(now: datetime) -> QuerySet[SocialAccount]:
    """Active accounts of networks Chorus serves that have neither answered nor been asked
    for a while. The ones asked longest ago come first: an account that keeps failing for
    reasons other than its credentials (a server that is down) never gets a success, and
    ordering by that alone would put it first in every batch."""
    since = now - timedelta(hours=check_hours())
    return (
        SocialAccount.objects.filter(
            status=SocialAccount.Status.ACTIVE, network__in=registry.networks()
        )
        .exclude(last_success_at__gte=since)
        .exclude(last_checked_at__gte=since)
        .order_by(
            F("last_checked_at").asc(nulls_first=True),
            F("last_success_at").asc(nulls_first=True),
            "pk",
        )
    )


def due_accounts(now: datetime, limit: int | None = None) -> list[SocialAccount]:
    """The accounts the periodic duty would check next, in its order (without claiming)."""
    due = _due(now).select_related("workspace__organisation")
    return list(due[:limit] if limit else due)


def claim_due_accounts(now: datetime, limit: int) -> list[SocialAccount]:
    """Take up to `limit` due accounts for this worker, so that workers running the duty
    at the same time check different accounts.

    Setting last_checked_at is the claim: a claimed account is no longer due. Each row is
    updated only if nobody changed its last_checked_at since it was read, so of two workers
    that read the same row only one gets it (SQLite too). On PostgreSQL the rows are also
    read FOR UPDATE SKIP LOCKED, so a second worker takes the next accounts in line rather
    than losing races for the same ones.
    """
    claimed: list[int] = []
    with transaction.atomic():
        candidates = list(
            _due(now)
            .select_for_update(skip_locked=True, of=("self",))
            .values_list("pk", "last_checked_at")[:limit]
        )
        for pk, checked_at in candidates:
            unchanged = (
                Q(last_checked_at__isnull=True)
                if checked_at is None
                else Q(last_checked_at=checked_at)
            )
            if SocialAccount.objects.filter(unchanged, pk=pk).update(last_checked_at=now):
                claimed.append(pk)
    accounts = SocialAccount.objects.filter(pk__in=claimed).select_related(
        "workspace__organisation"
    )
    order = {pk: position for position, pk in enumerate(claimed)}
    return sorted(accounts, key=lambda account: order[account.pk])


def check_due_accounts(now: datetime | None = None) -> int:
    """Periodic duty: check a batch of due accounts; return how many passed.

    Each worker running the duty claims its own batch (see claim_due_accounts).
    """
    passed = 0
    # A bounded batch per run: each check may wait on a slow network, and the periodic
    # loop's other duties wait meanwhile. The rest are first in line next time.
    batch = int(getattr(settings, "CHORUS_ACCOUNT_CHECK_BATCH", DEFAULT_CHECK_BATCH))
    for account in claim_due_accounts(now or timezone.now(), batch):
        try:
            passed += check_account(account)
        except DatabaseError:
            raise  # the periodic loop knows how to wait for the database
        except Exception:
            # One connector's bug must not leave every other account unchecked.
            logger.exception("Health check of account %s failed", account.pk)
    return passed
