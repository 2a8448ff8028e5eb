"""Changes to the form that save nothing: splitting a text into a thread, adding or
removing a thread part or an attachment. Each is a button of the composer form, so they
work without JavaScript (the page comes back changed); composer.js does the same in place.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _

from chorus.orgs.models import SocialAccount
from chorus.publishing.compose.checks import mastodon_limit
from chorus.publishing.rules import THREADED_NETWORKS, Network, UnsplittableTextError, split_thread
from chorus.publishing.web.draft import MAX_PARTS, NETWORKS, WEBHOOK, Draft, network_label

# A webhook has no limit of its own; its receiver usually posts on to a network, so its
# threads are cut as for the one chosen (X, the shortest, unless told otherwise).
WEBHOOK_SPLIT_DEFAULT = Network.X


def can_split(network: str) -> bool:
    return network in THREADED_NETWORKS or network == WEBHOOK


def split_network(draft: Draft, network: str) -> Network | None:
    if network in THREADED_NETWORKS:
        return Network(network)
    if network == WEBHOOK:
        chosen = draft.variant(network).split_as
        return Network(chosen) if chosen in THREADED_NETWORKS else WEBHOOK_SPLIT_DEFAULT
    return None


def split(
    draft: Draft, network: str, accounts: Sequence[SocialAccount], language: str
) -> str | None:
    """Cut the network's text into parts: the first replaces the network's text, the rest
    become its thread. Returns an error message, or None when it worked."""
    as_network = split_network(draft, network)
    if as_network is None:
        return _("%(network)s has no threads.") % {"network": network_label(network)}
    variant = draft.variant(network)
    own = variant.text.strip()
    # After one split the network's text is only the first part: splitting again starts
    # from the whole base text, unless the network has a long text of its own.
    source = own if own and not variant.parts() else draft.text.strip()
    if not source:
        return _("Write the text first, then split it.")
    account = next((a for a in accounts if a.network == network), None)
    try:
        parts = split_thread(
            source,
            as_network,
            numbering=variant.numbering,
            language=language,
            mastodon_limit=mastodon_limit(account) if account and network == "mastodon" else 500,
            content_warning=variant.spoiler_text.strip() if as_network == Network.MASTODON else "",
        )
    except UnsplittableTextError as error:
        return error.error.message
    if len(parts) > MAX_PARTS + 1:
        return _("This would make more than %(n)s parts; shorten the text.") % {"n": MAX_PARTS}
    variant.text = parts[0].text
    variant.thread = [p.text for p in parts[1:]]
    return None


def apply(draft: Draft, action: str) -> bool:
    """Apply an editing button ("add-part:x", "remove-part:x:2", "remove-media:0");
    False when `action` is not one of them."""
    kind, _sep, rest = action.partition(":")
    if kind == "add-part":
        if rest not in NETWORKS:
            return True
        variant = draft.variant(rest)
        if len(variant.thread) < MAX_PARTS:
            variant.thread.append("")
        return True
    if kind == "remove-part":
        network, _sep, index = rest.partition(":")
        if network not in NETWORKS:
            return True
        thread = draft.variant(network).thread
        if index.isdigit() and 1 <= int(index) <= len(thread):
            del thread[int(index) - 1]
        return True
    if kind == "remove-media":
        if rest.isdigit() and int(rest) < len(draft.media):
            del draft.media[int(rest)]
        return True
    return False
