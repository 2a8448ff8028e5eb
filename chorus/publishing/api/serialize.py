"""Posts and deliveries as the API returns them."""

from __future__ import annotations

from typing import Any

from chorus.publishing.models import Delivery, Post
from chorus.publishing.scheduling.zones import from_utc


def delivery_out(d: Delivery) -> dict[str, Any]:
    return {
        "id": d.pk,
        "account_id": d.account_id,
        "account": d.account.handle,
        "network": d.network,
        "state": d.state,
        "scheduled_for": d.scheduled_for,
        "due_at": d.due_at,
        "attempts": d.attempts,
        "remote_id": d.remote_id,
        "remote_url": d.remote_url,
        "last_error": d.last_error,
        "last_error_code": d.last_error_code,
        "published_at": d.published_at,
    }


def delivery_log_out(d: Delivery) -> dict[str, Any]:
    log = [
        {
            "number": a.number,
            "worker": a.worker,
            "started_at": a.started_at,
            "finished_at": a.finished_at,
            "outcome": a.outcome,
            "status_code": a.status_code,
            "error_code": a.error_code,
            "message": a.message,
            "retry_at": a.retry_at,
        }
        for a in d.log.all()
    ]
    return {**delivery_out(d), "log": log}


def local_time(post: Post) -> str | None:
    if post.scheduled_at is None:
        return None
    return from_utc(post.scheduled_at, post.time_zone).replace(tzinfo=None).isoformat()


def post_out(post: Post) -> dict[str, Any]:
    deliveries = list(post.deliveries.select_related("account").order_by("pk"))
    return {
        "id": post.pk,
        "workspace_id": post.workspace_id,
        "state": post.state,
        "text": post.text,
        "link": post.link,
        "first_comment": post.first_comment,
        "campaign_id": post.campaign_id,
        "tags": sorted(t.name for t in post.tags.all()),
        "account_ids": [d.account_id for d in deliveries],
        "variants": [
            {
                "network": v.network,
                "text": v.text,
                "link": v.link,
                "first_comment": v.first_comment,
                "thread": v.thread,
                "options": v.options,
            }
            for v in post.variants.all()
        ],
        "media": [
            {
                "asset_id": m.asset_id,
                "alt_text": m.alt_text,
                "network": m.network,
                "focus": {"x": m.focus_x, "y": m.focus_y} if m.focus else None,
            }
            for m in post.media.all()
        ],
        "scheduled_at": post.scheduled_at,
        "time_zone": post.time_zone,
        "local_time": local_time(post),
        "queued": post.queued,
        "evergreen": post.evergreen,
        "recurrence": post.recurrence,
        "link_mode": post.link_mode,
        "version": post.version,
        "created_at": post.created_at,
        "updated_at": post.updated_at,
        "published_at": post.published_at,
        "deliveries": [delivery_out(d) for d in deliveries],
    }
