"""Reading an account's stored credentials, whatever shape an old row left them in."""

from __future__ import annotations

from typing import Any

from chorus.orgs.models import SocialAccount


def credentials_of(account: SocialAccount) -> dict[str, Any]:
    """A copy of the account's credentials as a dict; empty when there are none (a
    disconnected account) or they are not an object."""
    value: Any = account.credentials
    return dict(value) if isinstance(value, dict) else {}
