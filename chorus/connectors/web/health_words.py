"""An account's health in the words the accounts page shows: its state, and what to do."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from chorus.connectors.web.credential_state import BlueskySession, bluesky_session, mastodon_scopes
from chorus.orgs.models import SocialAccount
from chorus.publishing.models import CLAIMABLE, Delivery

# Networks whose accounts the page can connect again by itself.
RECONNECTABLE = frozenset({"bluesky", "mastodon"})
NETWORK_NAMES = {"bluesky": "Bluesky", "mastodon": "Mastodon", "webhook": "Webhook"}


@dataclass(frozen=True)
class AccountHealth:
    account: SocialAccount
    state: str  # "ok", "warn" or "muted": the badge's colour
    words: str
    next_step: str
    can_reconnect: bool
    # Posts whose time has come but which wait for the account to be reconnected.
    waiting: int = 0
    session: BlueskySession | None = None
    scopes: tuple[str, ...] = ()

    @property
    def initial(self) -> str:
        name = (self.account.display_name or self.account.handle).lstrip("@")
        return (name[:1] or "?").upper()

    @property
    def network_name(self) -> str:
        return NETWORK_NAMES.get(self.account.network, self.account.network.capitalize())


def waiting_posts(accounts: Sequence[SocialAccount], now: datetime) -> dict[int, int]:
    """How many due deliveries wait for each account that needs reconnecting (claiming
    leaves them alone until it is reconnected)."""
    flagged = [a.pk for a in accounts if a.status == SocialAccount.Status.NEEDS_RECONNECT]
    if not flagged:
        return {}
    counts = (
        Delivery.objects.filter(account_id__in=flagged, state__in=CLAIMABLE, due_at__lte=now)
        .values("account_id")
        .annotate(n=Count("pk"))
        .values_list("account_id", "n")
    )
    return dict(counts)


def health_rows(accounts: Sequence[SocialAccount]) -> list[AccountHealth]:
    """Each account's health with what the page shows beside it, in a few queries."""
    waiting = waiting_posts(accounts, timezone.now())
    scopes = mastodon_scopes(accounts)
    return [
        health_of(
            account,
            waiting=waiting.get(account.pk, 0),
            session=bluesky_session(account),
            scopes=scopes.get(account.pk, ()),
        )
        for account in accounts
    ]


def health_of(
    account: SocialAccount,
    *,
    waiting: int = 0,
    session: BlueskySession | None = None,
    scopes: tuple[str, ...] = (),
) -> AccountHealth:
    reconnectable = account.network in RECONNECTABLE
    state, words, next_step = _words(account, reconnectable=reconnectable)
    return AccountHealth(account, state, words, next_step, reconnectable, waiting, session, scopes)


def _words(account: SocialAccount, *, reconnectable: bool) -> tuple[str, str, str]:
    status = SocialAccount.Status
    if account.status == status.NEEDS_RECONNECT:
        reason = account.last_error or _("the network no longer accepts its credentials")
        return (
            "warn",
            _("Needs reconnecting: %(reason)s") % {"reason": reason},
            _(
                "Reconnect it: posts to this account wait until then, and go out once it is "
                "reconnected (at once, for those whose time has passed)."
            )
            if reconnectable
            else _(
                "Posts to this account wait. To replace it, connect it again and disconnect "
                "this one: posts still waiting for it then fail."
            ),
        )
    if account.status == status.DISCONNECTED:
        return (
            "muted",
            _("Disconnected"),
            _("Chorus no longer holds its credentials. Connect it again to use it."),
        )
    if account.last_error and not _succeeded_since_check(account):
        return (
            "warn",
            _("Working, but the last contact failed: %(reason)s") % {"reason": account.last_error},
            _("Nothing to do yet: Chorus tries again. Check now to ask the network at once."),
        )
    return ("ok", _("Working"), _("Nothing to do."))


def _succeeded_since_check(account: SocialAccount) -> bool:
    """A post went out after the check that failed: the error no longer says anything."""
    return bool(
        account.last_checked_at
        and account.last_success_at
        and account.last_success_at > account.last_checked_at
    )
