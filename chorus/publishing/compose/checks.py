"""Checking composed content against each target network's rules, as the network counts.

Pure apart from reading the accounts' instance limits: it takes resolved accounts and
media, and returns every problem at once plus the counters the composer shows live.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from django.utils.translation import gettext as _

from chorus.connectors.mastodon.limits import instance_limits, stored_instance
from chorus.connectors.mastodon.text import with_link
from chorus.media.models import MediaAsset
from chorus.orgs.models import SocialAccount
from chorus.publishing import rules
from chorus.publishing.compose.inputs import PostInput
from chorus.publishing.compose.option_checks import check_options
from chorus.publishing.compose.problems import Problem, from_rule
from chorus.publishing.rules import CheckResult, Network
from chorus.publishing.rules.media import MediaItem, check_media

# Networks whose posts need something beyond text.
_TEXT_CHECKS: dict[str, Callable[[str], CheckResult]] = {
    Network.X: rules.check_x,
    Network.BLUESKY: rules.check_bluesky,
    Network.THREADS: rules.check_threads,
    Network.LINKEDIN: rules.check_linkedin,
    Network.INSTAGRAM: rules.check_instagram,
    Network.FACEBOOK: rules.check_facebook,
    Network.TIKTOK: rules.check_tiktok,
    Network.PINTEREST: rules.check_pinterest,
    Network.YOUTUBE: rules.check_youtube_description,
}
# Where a network shows the first comment (and the connector can post one).
FIRST_COMMENT_NETWORKS = frozenset(
    {
        Network.X,
        Network.BLUESKY,
        Network.MASTODON,
        Network.THREADS,
        Network.LINKEDIN,
        Network.INSTAGRAM,
        Network.FACEBOOK,
        Network.YOUTUBE,
        "webhook",
    }
)


@dataclass(frozen=True)
class Counter:
    network: str
    field: str
    count: int
    limit: int
    unit: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "network": self.network,
            "field": self.field,
            "count": self.count,
            "limit": self.limit,
            "unit": self.unit,
        }


@dataclass(frozen=True)
class Report:
    problems: list[Problem]
    counters: list[Counter]

    @property
    def ok(self) -> bool:
        return not self.problems


def mastodon_limit(account: SocialAccount) -> int:
    """The instance's own character limit, when the connector has read it."""
    limit = (stored_instance(account) or {}).get("max_characters")
    return int(limit) if isinstance(limit, int) and limit > 0 else 500


def check_text(
    network: str,
    text: str,
    options: dict[str, Any],
    account: SocialAccount | None,
    *,
    link: str = "",
) -> CheckResult | None:
    """`link`: the post's link, for the first part (Mastodon's connector appends it)."""
    if network == Network.MASTODON:
        limit = mastodon_limit(account) if account else 500
        # Counted as sent: with the link appended (a URL counts as 23 characters).
        result = rules.check_mastodon(
            with_link(text, link),
            content_warning=str(options.get("spoiler_text") or ""),
            limit=limit,
        )
        # Offsets point into the field as typed, which does not hold the appended link.
        end = len(text)
        errors = tuple(
            replace(e, start=min(e.start, end), end=min(e.end, end)) for e in result.errors
        )
        return replace(result, errors=errors)
    check = _TEXT_CHECKS.get(network)
    return check(text) if check else None


def check_post(
    data: PostInput, accounts: Sequence[SocialAccount], assets: dict[int, MediaAsset]
) -> Report:
    problems: list[Problem] = []
    counters: list[Counter] = []
    by_network: dict[str, SocialAccount] = {}
    for account in accounts:
        by_network.setdefault(account.network, account)
        # Mastodon instances differ: check against the strictest one chosen.
        if account.network == Network.MASTODON and mastodon_limit(account) < mastodon_limit(
            by_network[account.network]
        ):
            by_network[account.network] = account
    if not accounts:
        problems.append(Problem("accounts", "required", _("Choose at least one account.")))
    for network, account in sorted(by_network.items()):
        variant = data.variant(network)
        prefix = f"variants.{network}." if variant and variant.text else ""
        text = (variant.text if variant and variant.text else data.text).strip()
        options = variant.options if variant else {}
        thread = [p for p in (variant.thread if variant else []) if p.strip()]
        media = _media_for(data, network, assets)
        if not text and not media:
            problems.append(
                Problem(
                    f"{prefix or ''}text",
                    "required",
                    _("Write something or attach media for %(network)s.")
                    % {"network": _label(network)},
                    network,
                )
            )
        link = (variant.link if variant and variant.link else data.link).strip()
        for index, part in enumerate([text, *thread]):
            field = f"{prefix}text" if index == 0 else f"variants.{network}.thread.{index}"
            result = check_text(network, part, options, account, link=link if index == 0 else "")
            if result is None:
                continue
            if index == 0:
                counters.append(
                    Counter(network, "text", result.count, result.limit, str(result.unit))
                )
            problems.extend(from_rule(e, field) for e in result.errors)
        if thread and network not in rules.THREADED_NETWORKS and network != "webhook":
            problems.append(
                Problem(
                    f"variants.{network}.thread",
                    "threads_unsupported",
                    _("%(network)s has no threads; keep the post to one part.")
                    % {"network": _label(network)},
                    network,
                )
            )
        comment = (
            variant.first_comment if variant and variant.first_comment else data.first_comment
        ).strip()
        if comment:
            if network not in FIRST_COMMENT_NETWORKS:
                problems.append(
                    Problem(
                        "first_comment",
                        "first_comment_unsupported",
                        _("%(network)s does not take a first comment.")
                        % {"network": _label(network)},
                        network,
                    )
                )
            else:
                result = check_text(network, comment, {}, account)
                if result:
                    problems.extend(from_rule(e, "first_comment") for e in result.errors)
        if network == Network.YOUTUBE:
            title = str(options.get("title") or "").strip()
            if not title:
                problems.append(
                    Problem(
                        f"variants.{network}.options.title",
                        "required",
                        _("YouTube videos need a title."),
                        network,
                    )
                )
            else:
                problems.extend(
                    from_rule(e, f"variants.{network}.options.title")
                    for e in rules.check_youtube_title(title).errors
                )
        if network == Network.PINTEREST and options.get("title"):
            problems.extend(
                from_rule(e, f"variants.{network}.options.title")
                for e in rules.check_pinterest_title(str(options["title"])).errors
            )
        problems.extend(check_options(network, options, account, has_media=bool(media)))
        media_result = check_media(network, media, mastodon=instance_limits(account))
        problems.extend(from_rule(e, "media") for e in media_result.errors)
    return Report(problems, counters)


def _media_for(data: PostInput, network: str, assets: dict[int, MediaAsset]) -> list[MediaItem]:
    own = [m for m in data.media if m.network == network]
    chosen = own or [m for m in data.media if not m.network]
    items = []
    for m in chosen:
        asset = assets.get(m.asset_id)
        if asset is None:
            continue
        items.append(
            MediaItem(
                kind=asset.kind,
                mime_type=asset.mime_type,
                size_bytes=asset.size_bytes,
                width=asset.width,
                height=asset.height,
                duration_seconds=asset.duration_seconds,
                alt_text=m.alt_text or asset.alt_text,
            )
        )
    return items


def _label(network: str) -> str:
    try:
        return Network(network).label
    except ValueError:
        return network.title()
