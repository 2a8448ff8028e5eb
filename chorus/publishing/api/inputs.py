"""From API bodies to the composer's inputs."""

from __future__ import annotations

from chorus.publishing.api.schemas import PostIn
from chorus.publishing.compose.inputs import MediaInput, PostInput, VariantInput


def post_input(payload: PostIn) -> PostInput:
    return PostInput(
        text=payload.text,
        link=payload.link,
        first_comment=payload.first_comment,
        account_ids=list(payload.account_ids),
        variants=[
            VariantInput(
                network=v.network,
                text=v.text,
                link=v.link,
                first_comment=v.first_comment,
                thread=list(v.thread),
                options=dict(v.options),
            )
            for v in payload.variants
        ],
        media=[
            MediaInput(
                m.asset_id, m.alt_text, m.network, (m.focus.x, m.focus.y) if m.focus else None
            )
            for m in payload.media
        ],
        campaign_id=payload.campaign_id,
        tags=list(payload.tags),
        evergreen=payload.evergreen,
        recurrence=payload.recurrence,
        link_mode=payload.link_mode.value,
    )
