"""An account's instance limits, as the publishing rules take them."""

from __future__ import annotations

from typing import Any

from chorus.orgs.models import SocialAccount
from chorus.publishing.rules.media_limits import MastodonInstance


def instance_limits(account: SocialAccount | None) -> MastodonInstance | None:
    """The media limits the account's instance announced when it was connected (None:
    not read, the rules' defaults apply)."""
    if account is None or account.network != "mastodon":
        return None
    credentials: Any = account.credentials
    instance = credentials.get("instance") if isinstance(credentials, dict) else None
    configuration = instance.get("configuration") if isinstance(instance, dict) else None
    if not isinstance(configuration, dict):
        return None
    return MastodonInstance.from_configuration(configuration)
