"""Finding the accounts a file names, among the workspace's own accounts only.

A reference is an account id (12), network:handle (x:@acme, bluesky:acme.bsky.social) or
a bare handle when only one account of the workspace has it. Handles match without
regard to case or a leading "@". An account of another workspace or organisation is
simply not found: the error is the same as for a typo, and reveals nothing.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from chorus.orgs.models import SocialAccount, Workspace


class UnknownAccount(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _handle(value: str) -> str:
    return value.strip().lstrip("@").lower()


class Directory:
    def __init__(self, workspace: Workspace) -> None:
        self.accounts = {a.pk: a for a in SocialAccount.objects.filter(workspace=workspace)}
        self._by_handle: dict[str, list[SocialAccount]] = {}
        for account in self.accounts.values():
            self._by_handle.setdefault(_handle(account.handle), []).append(account)

    def find(self, reference: str) -> SocialAccount:
        ref = reference.strip()
        if ref.isdigit():
            account = self.accounts.get(int(ref)) if len(ref) < 19 else None
            if account is None:
                raise UnknownAccount(
                    "unknown_account",
                    _("There is no account %(ref)s in this workspace.") % {"ref": ref[:40]},
                )
            return account
        network, sep, handle = ref.partition(":")
        if sep and network.strip() and " " not in network and "/" not in handle:
            matches = [
                a
                for a in self._by_handle.get(_handle(handle), [])
                if a.network == network.strip().lower()
            ]
        else:
            matches = self._by_handle.get(_handle(ref), [])
        if not matches:
            raise UnknownAccount(
                "unknown_account",
                _(
                    "There is no account “%(ref)s” in this workspace. Write its id or "
                    "network:handle, such as mastodon:@news."
                )
                % {"ref": ref[:80]},
            )
        if len(matches) > 1:
            raise UnknownAccount(
                "ambiguous_account",
                _(
                    "“%(ref)s” names accounts on several networks; write network:handle, "
                    "such as %(example)s."
                )
                % {"ref": ref[:80], "example": f"{matches[0].network}:{matches[0].handle}"},
            )
        return matches[0]


def reference(account: SocialAccount) -> str:
    """How an export names the account (found again by find())."""
    return f"{account.network}:{account.handle}"
