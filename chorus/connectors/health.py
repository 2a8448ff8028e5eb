"""Account health: asking each network whether an account's credentials still work.

The answer is recorded on the account (last success, last error, status) so the accounts
page can say what to do next. Only AuthError changes the status: a network that is down
says nothing about the credentials.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from chorus.connectors import registry
from chorus.connectors.errors import AuthError, ConnectorError
from chorus.orgs.models import SocialAccount
from chorus.publishing import signals

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
    rows.update(last_success_at=now, last_error="")
    # Only a passing check brings back an account that needed reconnecting; a
    # disconnected one stays disconnected until someone connects it.
    rows.filter(status=SocialAccount.Status.NEEDS_RECONNECT).update(
        status=SocialAccount.Status.ACTIVE
    )
    account.last_success_at = now
    account.last_error = ""
    if account.status == SocialAccount.Status.NEEDS_RECONNECT:
        account.status = SocialAccount.Status.ACTIVE


def _record_error(account: SocialAccount, message: str) -> None:
    message = message[:ERROR_MAX]
    SocialAccount.objects.filter(pk=account.pk).update(last_error=message)
    account.last_error = message


def _needs_reconnect(account: SocialAccount, message: str) -> None:
    """Mark the account, and tell people once: as the delivery engine does."""
    message = message[:ERROR_MAX]
    rows = SocialAccount.objects.filter(pk=account.pk)
    changed = rows.filter(status=SocialAccount.Status.ACTIVE).update(
        status=SocialAccount.Status.NEEDS_RECONNECT, last_error=message
    )
    if not changed:
        rows.update(last_error=message)
    account.last_error = message
    if changed:
        account.status = SocialAccount.Status.NEEDS_RECONNECT
        signals.account_needs_reconnect.send(sender=SocialAccount, account=account, message=message)


def due_accounts(now: datetime, limit: int | None = None) -> list[SocialAccount]:
    """Active accounts of networks Chorus serves that have not answered for a while, the
    longest silent first."""
    since = now - timedelta(hours=check_hours())
    stale = (
        SocialAccount.objects.filter(
            status=SocialAccount.Status.ACTIVE, network__in=registry.networks()
        )
        .exclude(last_success_at__gte=since)
        .select_related("workspace__organisation")
        .order_by(F("last_success_at").asc(nulls_first=True), "pk")
    )
    return list(stale[:limit] if limit else stale)


def check_due_accounts(now: datetime | None = None) -> int:
    """Periodic duty: check every due account; return how many passed.

    Safe to run on two workers at once: a second check of an account only records the
    same answer again.
    """
    passed = 0
    # A bounded batch per run: each check may wait on a slow network, and the periodic
    # loop's other duties wait meanwhile. The rest are first in line next time.
    batch = int(getattr(settings, "CHORUS_ACCOUNT_CHECK_BATCH", DEFAULT_CHECK_BATCH))
    for account in due_accounts(now or timezone.now(), limit=batch):
        try:
            passed += check_account(account)
        except DatabaseError:
            raise  # the periodic loop knows how to wait for the database
        except Exception:
            # One connector's bug must not leave every other account unchecked.
            logger.exception("Health check of account %s failed", account.pk)
    return passed
