"""What each chosen network will show: the content that network gets (its variant where it
has one, the base post otherwise), shaped by the templates like a post on that network."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.urls import reverse

from chorus.media.models import MediaAsset
from chorus.orgs.models import SocialAccount, Workspace
from chorus.publishing.compose.inputs import PostInput
from chorus.publishing.web.draft import network_label

# Networks with a preview of their own; any other is shown as a generic card.
SHAPED = frozenset({"x", "bluesky", "mastodon", "linkedin", "instagram", "facebook", "threads"})


@dataclass(frozen=True)
class MediaView:
    kind: str
    alt_text: str
    file_url: str
    thumbnail_url: str | None
    name: str


@dataclass
class Preview:
    network: str
    label: str
    shape: str
    account: SocialAccount
    more_accounts: int
    parts: list[str]
    link: str
    first_comment: str
    content_warning: str = ""
    title: str = ""
    visibility: str = ""
    media: list[MediaView] = field(default_factory=list)

    @property
    def initial(self) -> str:
        name = (self.account.display_name or self.account.handle).lstrip("@")
        return name[:1].upper() or "?"


def build(
    workspace: Workspace,
    data: PostInput,
    accounts: Sequence[SocialAccount],
    assets: dict[int, MediaAsset],
) -> list[Preview]:
    by_network: dict[str, list[SocialAccount]] = {}
    for account in accounts:
        by_network.setdefault(account.network, []).append(account)
    previews = []
    for network, group in sorted(by_network.items(), key=lambda item: network_label(item[0])):
        variant = data.variant(network)
        text = variant.text if variant and variant.text else data.text
        options = variant.options if variant else {}
        previews.append(
            Preview(
                network=network,
                label=network_label(network),
                shape=network if network in SHAPED else "generic",
                account=group[0],
                more_accounts=len(group) - 1,
                parts=[p for p in [text.strip(), *(variant.thread if variant else [])] if p],
                link=(variant.link if variant and variant.link else data.link),
                first_comment=(
                    variant.first_comment
                    if variant and variant.first_comment
                    else data.first_comment
                ),
                content_warning=str(options.get("spoiler_text") or ""),
                title=str(options.get("title") or ""),
                visibility=str(options.get("visibility") or ""),
                media=_media(workspace, data, network, assets),
            )
        )
    return previews


def _media(
    workspace: Workspace, data: PostInput, network: str, assets: dict[int, MediaAsset]
) -> list[MediaView]:
    # As the delivery engine chooses: the network's own attachments, else the shared ones.
    own = [m for m in data.media if m.network == network]
    chosen = own or [m for m in data.media if not m.network]
    views = []
    for item in chosen:
        asset = assets.get(item.asset_id)
        if asset is not None:
            views.append(media_view(workspace, asset, item.alt_text))
    return views


def media_view(workspace: Workspace, asset: MediaAsset, alt_text: str = "") -> MediaView:
    args = (workspace.organisation.slug, workspace.slug, asset.pk)
    return MediaView(
        kind=asset.kind,
        alt_text=alt_text or asset.alt_text,
        file_url=reverse("web:media_file", args=args),
        thumbnail_url=reverse("web:media_thumbnail", args=args) if asset.thumbnail else None,
        name=asset.original_name,
    )
