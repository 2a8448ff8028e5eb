"""Preparing a post's links for one network: UTM parameters, then a short link or not.

The publishing engine calls ``prepare_text`` on each text it sends and ``prepare_link``
on the post's separate link field, once per network, with one of three modes:

* ``shorten``: each URL gets the UTM parameters and is replaced by ``<public>/l/<code>``,
  which redirects there and counts clicks per post and network;
* ``utm_only``: each URL gets the UTM parameters and stays where it is;
* ``keep``: the text is sent exactly as written.

URLs are found with the network's own grammar (``chorus.publishing.rules.urls``: twitter-
text's for X and the networks that follow it, Mastodon's for Mastodon), so what is
rewritten is exactly what the network would have made a link, and the text around it,
Lao or Thai written without spaces, emoji and all, stays as it was. Only URLs written
with ``http://`` or ``https://`` are touched: a bare ``example.com`` may not be meant as a
link, and most networks do not link it.
"""

from __future__ import annotations

from enum import StrEnum

from django.db import transaction

from chorus.links import presets, shortlinks
from chorus.links.utm import append_utm, is_web_url, utm_params
from chorus.orgs.models import Workspace
from chorus.publishing.models import Campaign, Post
from chorus.publishing.rules.urls import PathRules, extract_urls


class LinkMode(StrEnum):
    SHORTEN = "shorten"
    UTM_ONLY = "utm_only"
    KEEP = "keep"


def _rules(network: str) -> PathRules:
    return PathRules.MASTODON if network == "mastodon" else PathRules.TWITTER


def placeholder_values(
    *,
    workspace: Workspace,
    post: Post | None,
    network: str,
    account_handle: str,
    campaign: Campaign | None,
) -> dict[str, str]:
    """What each template placeholder stands for in this post on this network."""
    return {
        "network": network,
        # "@acme" reads as "acme" in a report; the @ would only be percent-encoded.
        "account": account_handle.removeprefix("@"),
        "campaign": (campaign.utm_campaign or campaign.name) if campaign else "",
        "post_id": str(post.pk) if post is not None and post.pk else "",
        "workspace": workspace.slug,
    }


class _Preparer:
    def __init__(
        self,
        *,
        workspace: Workspace,
        post: Post | None,
        network: str,
        account_handle: str,
        campaign: Campaign | None,
        mode: LinkMode | str,
    ) -> None:
        for owned in (post, campaign):
            if owned is not None and owned.workspace_id != workspace.pk:
                raise ValueError(f"{owned!r} belongs to another workspace")
        self.mode = LinkMode(mode)
        self.workspace, self.post, self.network = workspace, post, network
        self.params: dict[str, str] = {}
        if self.mode is LinkMode.KEEP:
            return
        preset = presets.effective_preset(workspace, campaign)
        values = placeholder_values(
            workspace=workspace,
            post=post,
            network=network,
            account_handle=account_handle,
            campaign=campaign,
        )
        if preset is not None:
            self.params = utm_params(preset.templates(), values)

    def url(self, url: str) -> str:
        if self.mode is LinkMode.KEEP or not is_web_url(url):
            return url
        if url.lower().startswith(shortlinks.public_prefix().lower()):
            return url  # already one of ours: its target carries the parameters
        tagged = append_utm(url, self.params)
        if self.mode is LinkMode.UTM_ONLY:
            return tagged
        link = shortlinks.short_link_for(
            workspace=self.workspace, post=self.post, network=self.network, target_url=tagged
        )
        return shortlinks.public_url(link)


def prepare_text(
    text: str,
    *,
    workspace: Workspace,
    post: Post | None,
    network: str,
    account_handle: str = "",
    campaign: Campaign | None = None,
    mode: LinkMode | str = LinkMode.SHORTEN,
) -> str:
    """``text`` with every http(s) URL tagged, and shortened in ``shorten`` mode."""
    preparer = _Preparer(
        workspace=workspace,
        post=post,
        network=network,
        account_handle=account_handle,
        campaign=campaign,
        mode=mode,
    )
    if preparer.mode is LinkMode.KEEP:
        return text
    pieces: list[str] = []
    done = 0
    with transaction.atomic():
        # Offsets are code points, like Python's own indexes; each URL is cut out of the
        # original text, so earlier replacements of another length move nothing.
        for entity in extract_urls(text, without_scheme=False, rules=_rules(network)):
            pieces.append(text[done : entity.start])
            pieces.append(preparer.url(entity.url))
            done = entity.end
    pieces.append(text[done:])
    return "".join(pieces)


def prepare_link(
    url: str,
    *,
    workspace: Workspace,
    post: Post | None,
    network: str,
    account_handle: str = "",
    campaign: Campaign | None = None,
    mode: LinkMode | str = LinkMode.SHORTEN,
) -> str:
    """The post's link field for one network: the whole value is one URL."""
    if not url.strip():
        return url
    preparer = _Preparer(
        workspace=workspace,
        post=post,
        network=network,
        account_handle=account_handle,
        campaign=campaign,
        mode=mode,
    )
    if preparer.mode is LinkMode.KEEP:
        return url
    with transaction.atomic():
        return preparer.url(url.strip())
