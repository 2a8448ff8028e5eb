"""An account's instance limits, as the publishing rules take them."""

from __future__ import annotations

from typing import Any

from chorus.connectors.credentials import credentials_of
from chorus.orgs.models import SocialAccount
from chorus.publishing.rules.media_limits import MastodonInstance


def stored_instance(account: SocialAccount | None) -> dict[str, Any] | None:
    """What the connector stored of the account's instance (limits, configuration), or
    None when it has not read it."""
    if account is None:
        return None
    instance = credentials_of(account).get("instance")
    return instance if isinstance(instance, dict) else None


def instance_limits(account: SocialAccount | None) -> MastodonInstance | None:
    """The media limits the account's instance announced when it was connected (None:
    not read, the rules' defaults apply)."""
    if account is None or account.network != "mastodon":
        return None
    instance = stored_instance(account)
    configuration = instance.get("configuration") if instance else None
    if not isinstance(configuration, dict):
        return None
    return MastodonInstance.from_configuration(configuration)
