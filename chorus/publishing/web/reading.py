"""One read of the composer form against the workspace: which accounts it names, the
service input it makes, and the time it asks for. Built once per request and shared by
the page, the live check and the save."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from chorus.orgs.models import SocialAccount, Workspace
from chorus.publishing.compose.inputs import PostInput
from chorus.publishing.models import Post
from chorus.publishing.web import when as when_fields
from chorus.publishing.web.draft import Draft


@dataclass
class Reading:
    workspace: Workspace
    draft: Draft
    post: Post | None
    accounts: list[SocialAccount]  # every account of the workspace
    targeted: set[int]  # accounts the saved post already goes to
    data: PostInput
    when: when_fields.When | None
    when_help: when_fields.WhenHelp

    @property
    def selected(self) -> list[SocialAccount]:
        chosen = set(self.draft.account_ids)
        return [a for a in self.accounts if a.pk in chosen]

    @property
    def networks(self) -> list[str]:
        return sorted({a.network for a in self.selected})


def usable(account: SocialAccount) -> bool:
    return account.status == SocialAccount.Status.ACTIVE


def read(
    workspace: Workspace, draft: Draft, post: Post | None, *, when_required: bool = False
) -> Reading:
    accounts = list(workspace.social_accounts.order_by("network", "handle"))
    targeted = set(post.deliveries.values_list("account_id", flat=True)) if post else set()
    chosen = set(draft.account_ids)
    for account in accounts:
        # An account already on the post stays on it; a new one must be able to post.
        if account.pk in chosen and not usable(account) and account.pk not in targeted:
            draft.error(
                "accounts",
                _("%(account)s needs reconnecting before it can post; choose another account.")
                % {"account": account.handle},
            )
    networks = {a.network for a in accounts if a.pk in chosen}
    data = draft.to_input(networks)
    when = when_fields.read(draft, workspace.time_zone, required=when_required)
    help_ = when_fields.explain(draft, when)
    return Reading(workspace, draft, post, accounts, targeted, data, when, help_)
