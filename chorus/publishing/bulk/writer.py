"""Writing a checked import: every post, variant, media link, tag, delivery and revision
in one transaction, with a handful of bulk inserts instead of queries per post.

Posts are created in their final state (scheduled, or draft with waiting deliveries):
that is creating a post, not moving one, so ``states.move`` has nothing to arbitrate.
The daily limits are checked again under the accounts' queue locks, the way the
scheduling services do, so two imports at once cannot both fill the last place.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import DatabaseError, transaction
from django.db.models import Q

from chorus.media.models import MediaAsset
from chorus.media.signals import remove_files
from chorus.orgs.models import Workspace
from chorus.publishing.bulk import daily
from chorus.publishing.bulk.media_batch import MediaBatch
from chorus.publishing.bulk.planned import Plan, Planned
from chorus.publishing.models import (
    Campaign,
    Delivery,
    DeliveryState,
    Post,
    PostMedia,
    PostRevision,
    PostState,
    PostVariant,
    Tag,
)
from chorus.publishing.scheduling import store

BATCH = 1000
logger = logging.getLogger(__name__)


class Rejected(Exception):
    """Something changed between the check and the write; nothing was written."""

    def __init__(self, problems: list[tuple[int, str]]) -> None:
        super().__init__("; ".join(m for _n, m in problems))
        self.problems = problems


def write(
    workspace: Workspace, user: Any, plan: Plan, media: MediaBatch, *, token: Any = None
) -> list[int]:
    try:
        with transaction.atomic():
            return _write(workspace, user, plan, media, token)
    except BaseException:
        _remove_orphans(media.stored_names)
        raise


def _write(workspace: Workspace, user: Any, plan: Plan, media: MediaBatch, token: Any) -> list[int]:
    if plan.scheduled:
        store.lock_queues({a.pk for p in plan.posts if p.instant for a in p.targets})
        late = daily.over_limit(workspace, plan.posts)
        if late:
            raise Rejected(late)
    assets = media.store(user, token)
    campaigns = _by_name(Campaign, workspace, {p.row.campaign for p in plan.posts})
    tags = _by_name(Tag, workspace, {t for p in plan.posts for t in p.data.tags})
    posts = [_post(workspace, user, p, campaigns, scheduled=plan.scheduled) for p in plan.posts]
    Post.objects.bulk_create(posts, batch_size=BATCH)
    variants, links, deliveries, tagged, revisions = [], [], [], [], []
    for post, planned in zip(posts, plan.posts, strict=True):
        variants += [
            PostVariant(
                post=post,
                network=v.network,
                text=v.text,
                link=v.link,
                first_comment=v.first_comment,
                thread=v.thread,
                options=v.options,
            )
            for v in planned.data.variants
        ]
        items = [
            PostMedia(
                post=post,
                asset=assets[m.source],
                alt_text=m.alt_text,
                network=m.network,
                position=i,
                focus_x=m.focus[0] if m.focus else None,
                focus_y=m.focus[1] if m.focus else None,
            )
            for i, m in enumerate(planned.media)
        ]
        links += items
        on_time = post.state == PostState.SCHEDULED
        deliveries += [
            Delivery(
                post=post,
                account=account,
                network=account.network,
                state=DeliveryState.SCHEDULED if on_time else DeliveryState.WAITING,
                scheduled_for=post.scheduled_at if on_time else None,
                due_at=post.scheduled_at if on_time else None,
            )
            for account in sorted(planned.targets, key=lambda a: a.pk)
        ]
        names = list(dict.fromkeys(planned.data.tags))
        tagged += [Post.tags.through(post_id=post.pk, tag_id=tags[n].pk) for n in names]
        revisions.append(
            PostRevision(
                post=post,
                version=post.version,
                author=user,
                content=_snapshot(post, planned, names, items),
            )
        )
    PostVariant.objects.bulk_create(variants, batch_size=BATCH)
    PostMedia.objects.bulk_create(links, batch_size=BATCH)
    Delivery.objects.bulk_create(deliveries, batch_size=BATCH)
    Post.tags.through.objects.bulk_create(tagged, batch_size=BATCH)
    PostRevision.objects.bulk_create(revisions, batch_size=BATCH)
    return [p.pk for p in posts]


def _post(
    workspace: Workspace, user: Any, planned: Planned, campaigns: dict[str, Any], *, scheduled: bool
) -> Post:
    data = planned.data
    on_time = scheduled and planned.instant is not None
    campaign = campaigns.get(planned.row.campaign)
    return Post(
        workspace=workspace,
        author=user,
        state=PostState.SCHEDULED if on_time else PostState.DRAFT,
        text=data.text,
        link=data.link,
        first_comment=data.first_comment,
        campaign=campaign,
        scheduled_at=planned.instant,
        time_zone=planned.zone,
        evergreen=data.evergreen,
        recurrence=data.recurrence,
        link_mode=data.link_mode,
    )


def _by_name(model: Any, workspace: Workspace, names: set[str]) -> dict[str, Any]:
    """Campaigns or tags by name, creating the missing ones (a concurrent import may
    create the same name: the unique constraint keeps one, and it is read back)."""
    names.discard("")
    if not names:
        return {}
    model.objects.bulk_create(
        [model(workspace=workspace, name=n) for n in sorted(names)],
        ignore_conflicts=True,
        batch_size=BATCH,
    )
    return {o.name: o for o in model.objects.filter(workspace=workspace, name__in=names)}


def _snapshot(
    post: Post, planned: Planned, tags: list[str], media: list[PostMedia]
) -> dict[str, Any]:
    """What compose.service.snapshot records, computed from what is being written."""
    data = planned.data
    return {
        "text": post.text,
        "link": post.link,
        "first_comment": post.first_comment,
        "campaign_id": post.campaign_id,
        "tags": sorted(tags),
        "accounts": sorted(a.pk for a in planned.targets),
        "variants": [
            {
                "network": v.network,
                "text": v.text,
                "link": v.link,
                "first_comment": v.first_comment,
                "thread": v.thread,
                "options": v.options,
            }
            for v in sorted(data.variants, key=lambda v: v.network)
        ],
        "media": [
            {
                "asset_id": m.asset_id,
                "alt_text": m.alt_text,
                "network": m.network,
                "focus": list(m.focus) if m.focus else None,
            }
            for m in sorted(media, key=lambda m: (m.network, m.position))
        ],
        "scheduled_at": post.scheduled_at.isoformat() if post.scheduled_at else None,
        "time_zone": post.time_zone,
        "evergreen": post.evergreen,
        "recurrence": post.recurrence,
        "link_mode": post.link_mode,
    }


def _remove_orphans(names: list[str]) -> None:
    """Files stored for an import that was rolled back, unless a committed asset (a
    concurrent upload of the same file) uses them."""
    names = [n for n in names if n]
    if not names:
        return
    try:
        used = MediaAsset.objects.filter(Q(file__in=names) | Q(thumbnail__in=names))
        keep = set(used.values_list("file", flat=True))
        keep |= set(used.values_list("thumbnail", flat=True))
    except DatabaseError:
        # Never hide the error that stopped the import behind this one.
        logger.warning("Could not tell which stored import files are orphans", exc_info=True)
        return
    remove_files([n for n in names if n not in keep])
