"""The live counters: every part of every chosen network, counted the way that network
counts (``compose.checks.check_text``), never approximated in the browser."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from chorus.orgs.models import SocialAccount
from chorus.publishing.compose.checks import check_text
from chorus.publishing.compose.inputs import PostInput
from chorus.publishing.rules import Unit
from chorus.publishing.rules.measure import grapheme_count
from chorus.publishing.web.draft import network_label


@dataclass(frozen=True)
class Count:
    label: str
    count: int
    limit: int | None  # None: the network sets no limit (a webhook)
    unit: str

    @property
    def over(self) -> bool:
        return self.limit is not None and self.count > self.limit


@dataclass(frozen=True)
class NetworkCounts:
    network: str
    label: str
    counts: list[Count]

    @property
    def over(self) -> bool:
        return any(c.over for c in self.counts)


def count_all(data: PostInput, accounts: Sequence[SocialAccount]) -> list[NetworkCounts]:
    first: dict[str, SocialAccount] = {}
    for account in accounts:
        first.setdefault(account.network, account)
    found = []
    for network, account in sorted(first.items(), key=lambda item: network_label(item[0])):
        variant = data.variant(network)
        options = variant.options if variant else {}
        text = variant.text if variant and variant.text else data.text
        thread = variant.thread if variant else []
        link = (variant.link if variant and variant.link else data.link) or ""
        counts = []
        for index, part in enumerate([text, *thread], start=1):
            label = _("Text") if not thread else _("Part %(n)s") % {"n": index}
            # The first part is counted as sent: with the link where the network adds it.
            counts.append(
                _count(label, network, part, options, account, link if index == 1 else "")
            )
        comment = variant.first_comment if variant and variant.first_comment else data.first_comment
        if comment:
            counts.append(_count(_("First comment"), network, comment, {}, account))
        found.append(NetworkCounts(network, network_label(network), counts))
    return found


def _count(
    label: str,
    network: str,
    text: str,
    options: dict[str, object],
    account: SocialAccount,
    link: str = "",
) -> Count:
    result = check_text(network, text.strip(), options, account, link=link)
    if result is None:
        return Count(label, grapheme_count(text.strip()), None, str(Unit.GRAPHEMES.label))
    return Count(label, result.count, result.limit, str(result.unit.label))
