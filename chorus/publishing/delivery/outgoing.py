"""What a delivery sends: the post's content for the delivery's network, in parts."""

from __future__ import annotations

from datetime import UTC

from chorus.connectors.contract import Media, Outgoing, Part
from chorus.connectors.errors import Permanent
from chorus.connectors.mastodon.limits import instance_limits
from chorus.links.prepare import prepare_link, prepare_text
from chorus.media.derivatives import MediaNotPublishable, derivative_for
from chorus.publishing.models import Delivery, Post, PostMedia, PostVariant
from chorus.publishing.rules.media_limits import MastodonInstance


def content_for(post: Post, network: str) -> tuple[list[str], str, str, dict[str, object]]:
    """(parts, link, first comment, options) as `network` gets them: the variant's fields
    where it sets them, the base post's otherwise."""
    variant = PostVariant.objects.filter(post=post, network=network).first()
    text = (variant.text if variant and variant.text else post.text).strip()
    thread = [p.strip() for p in (variant.thread if variant else []) if p and p.strip()]
    link = (variant.link if variant and variant.link else post.link) or ""
    comment = variant.first_comment if variant and variant.first_comment else post.first_comment
    options = dict(variant.options) if variant else {}
    return [text, *thread], link, comment or "", options


def media_for(post: Post, network: str) -> list[PostMedia]:
    """The variant's own media if it has any, else the media shared by every network."""
    rows = list(post.media.select_related("asset").filter(network__in=["", network]))
    own = [m for m in rows if m.network == network]
    return own or [m for m in rows if not m.network]


def _media(row: PostMedia, network: str, mastodon: MastodonInstance | None = None) -> Media:
    asset = row.asset
    try:
        # A copy resized or re-encoded to the network's limits when the original breaks
        # them; made once and kept.
        fitted = derivative_for(asset, network, mastodon=mastodon)
    except MediaNotPublishable as error:
        messages = "; ".join(e.message for e in error.rule_errors)
        raise Permanent(f"{asset.original_name}: {messages}", code="media_rejected") from error
    return Media(
        mime_type=fitted.mime_type,
        alt_text=row.alt_text or asset.alt_text,
        size_bytes=fitted.size_bytes,
        open=lambda: fitted.file.open("rb"),
        width=fitted.width,
        height=fitted.height,
        duration_seconds=asset.duration_seconds,
        name=asset.original_name,
        focus=row.focus,
    )


def build(delivery: Delivery) -> Outgoing:
    post = delivery.post
    texts, link, comment, options = content_for(post, delivery.network)

    # UTM tags and short links are made per network at send time, so each network's
    # clicks count apart and a link edited after scheduling is still tagged.
    def prepared(text: str, *, whole_link: bool = False) -> str:
        prepare = prepare_link if whole_link else prepare_text
        return prepare(
            text,
            workspace=post.workspace,
            post=post,
            network=delivery.network,
            account_handle=delivery.account.handle,
            campaign=post.campaign,
            mode=post.link_mode,
        )

    texts = [prepared(t) for t in texts]
    comment = prepared(comment) if comment else ""
    link = prepared(link, whole_link=True) if link else ""
    # A Mastodon account's own instance limits, as read when it was connected.
    limits = instance_limits(delivery.account)
    media = tuple(_media(m, delivery.network, limits) for m in media_for(post, delivery.network))
    parts = [Part(text=texts[0], media=media)] + [Part(text=t) for t in texts[1:]]
    scheduled = delivery.scheduled_for.isoformat() if delivery.scheduled_for else ""
    return Outgoing(
        delivery_id=delivery.pk,
        post_id=post.pk,
        idempotency_key=delivery.idempotency_key,
        parts=parts,
        link=link,
        first_comment=comment,
        options=options,
        scheduled_for=scheduled,
        created_at=delivery.created_at.astimezone(UTC).isoformat() if delivery.created_at else "",
    )
