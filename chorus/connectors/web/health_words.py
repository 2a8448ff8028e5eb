"""An account's health in the words the accounts page shows: its state, and what to do."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from chorus.orgs.models import SocialAccount

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

    @property
    def initial(self) -> str:
        name = (self.account.display_name or self.account.handle).lstrip("@")
        return (name[:1] or "?").upper()

    @property
    def network_name(self) -> str:
        return NETWORK_NAMES.get(self.account.network, self.account.network.capitalize())


def health_of(account: SocialAccount) -> AccountHealth:
    status = SocialAccount.Status
    reconnectable = account.network in RECONNECTABLE
    if account.status == status.NEEDS_RECONNECT:
        reason = account.last_error or _("the network no longer accepts its credentials")
        return AccountHealth(
            account,
            "warn",
            _("Needs reconnecting: %(reason)s") % {"reason": reason},
            _("Reconnect it: posts to this account wait until then.")
            if reconnectable
            else _("Disconnect it and connect it again."),
            reconnectable,
        )
    if account.status == status.DISCONNECTED:
        return AccountHealth(
            account,
            "muted",
            _("Disconnected"),
            _("Chorus no longer holds its credentials. Connect it again to use it."),
            reconnectable,
        )
    if account.last_error:
        return AccountHealth(
            account,
            "warn",
            _("Working, but the last contact failed: %(reason)s") % {"reason": account.last_error},
            _("Nothing to do yet: Chorus tries again. Check now to ask the network at once."),
            reconnectable,
        )
    return AccountHealth(account, "ok", _("Working"), _("Nothing to do."), reconnectable)
