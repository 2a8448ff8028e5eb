"""Writing posts back out in the import formats.

Hootsuite: no header, `MM/DD/YYYY HH:MM` (or the order chosen) in the workspace's zone,
message, link, with a UTF-8 body and no byte-order mark (the date must be the file's
first bytes). Hootsuite applies a file to the profiles picked in its dialog and has no
threads, first comments, media or variants, so those are not in it; with an account
chosen, that account's network variant is written.

Chorus CSV (UTF-8 with a byte-order mark, so Excel shows every script) and JSON carry
everything an import reads, and re-import losslessly: accounts as network:handle, media
as sha256:<hash> of the file in the media library (uploaded files have no public URL),
times as local wall time in the post's zone plus the UTC offset when the clocks show that
time twice.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import F, QuerySet
from django.utils import timezone

from chorus.orgs.models import SocialAccount, Workspace
from chorus.publishing.bulk.cells import join_focus_points, join_parts
from chorus.publishing.bulk.chorus_csv import BASE_COLUMNS
from chorus.publishing.bulk.dates import write_hootsuite, write_iso
from chorus.publishing.bulk.directory import reference
from chorus.publishing.bulk.rows import VARIANT_FIELDS, DateOrder, Format
from chorus.publishing.models import Post, PostMedia, PostVariant
from chorus.publishing.scheduling.zones import zone_info


@dataclass(frozen=True)
class Export:
    content: bytes
    content_type: str
    filename: str
    count: int


def select_posts(
    workspace: Workspace,
    *,
    start: datetime | None = None,
    end: datetime | None = None,
    account: SocialAccount | None = None,
) -> QuerySet[Post]:
    posts = Post.objects.filter(workspace=workspace)
    if start:
        posts = posts.filter(scheduled_at__gte=start)
    if end:
        posts = posts.filter(scheduled_at__lt=end)
    if account:
        posts = posts.filter(deliveries__account=account)
    # Untimed drafts last, on every database (PostgreSQL and SQLite sort NULL differently).
    order = (F("scheduled_at").asc(nulls_last=True), "pk")
    return (
        posts.distinct()
        .order_by(*order)
        .select_related("campaign")
        .prefetch_related("tags", "variants", "media__asset", "deliveries__account")
    )


def export_posts(
    workspace: Workspace,
    posts: QuerySet[Post],
    fmt: Format,
    *,
    date_order: DateOrder = DateOrder.MDY,
    account: SocialAccount | None = None,
) -> Export:
    stamp = timezone.now().strftime("%Y%m%d-%H%M")
    name = f"{workspace.slug}-{stamp}"
    items = list(posts)
    if fmt == Format.HOOTSUITE:
        timed = [p for p in items if p.scheduled_at]
        text = _hootsuite(workspace, timed, date_order, account)
        return Export(
            text.encode("utf-8"), "text/csv; charset=utf-8", f"hootsuite-{name}.csv", len(timed)
        )
    if fmt == Format.JSON:
        body = json.dumps([post_json(p) for p in items], ensure_ascii=False, indent=1)
        return Export(body.encode("utf-8"), "application/json", f"chorus-{name}.json", len(items))
    return Export(
        _chorus_csv(items).encode("utf-8-sig"),
        "text/csv; charset=utf-8",
        f"chorus-{name}.csv",
        len(items),
    )


def _hootsuite(
    workspace: Workspace, posts: list[Post], order: DateOrder, account: SocialAccount | None
) -> str:
    tz = zone_info(workspace.time_zone)
    out = io.StringIO()
    writer = csv.writer(out)
    for post in posts:
        assert post.scheduled_at is not None
        variant = _variants(post).get(account.network) if account else None
        local = post.scheduled_at.astimezone(tz).replace(tzinfo=None)
        writer.writerow(
            [
                write_hootsuite(local, order),
                (variant.text if variant and variant.text else post.text),
                (variant.link if variant and variant.link else post.link),
            ]
        )
    return out.getvalue()


def _variants(post: Post) -> dict[str, PostVariant]:
    return {v.network: v for v in post.variants.all()}


def _accounts(post: Post) -> list[str]:
    return [reference(d.account) for d in sorted(post.deliveries.all(), key=lambda d: d.account_id)]


def _media(post: Post, network: str) -> list[PostMedia]:
    return sorted(
        (m for m in post.media.all() if m.network == network), key=lambda m: (m.position, m.pk)
    )


def _when(post: Post) -> str:
    if post.scheduled_at is None:
        return ""
    tz = zone_info(post.time_zone)
    aware = post.scheduled_at.astimezone(tz)
    local = aware.replace(tzinfo=None)
    shown_twice = (
        local.replace(tzinfo=tz, fold=0).utcoffset() != local.replace(tzinfo=tz, fold=1).utcoffset()
    )
    return write_iso(local, aware.utcoffset() if shown_twice else None)


def _chorus_csv(posts: list[Post]) -> str:
    rows = [_csv_row(p) for p in posts]
    extra = sorted(
        {k for r in rows for k in r if k not in BASE_COLUMNS},
        key=lambda k: (k.rsplit("_", 1)[1], _field_order(k)),
    )
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=[*BASE_COLUMNS, *extra], restval="")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def _field_order(column: str) -> int:
    field = column.removeprefix("network_").rsplit("_", 1)[0]
    return VARIANT_FIELDS.index(field) if field in VARIANT_FIELDS else len(VARIANT_FIELDS)


def _media_cells(items: list[PostMedia]) -> tuple[str, str, str]:
    sources = "|".join(f"sha256:{m.asset.sha256}" for m in items)
    alts = [m.alt_text for m in items]
    focus = join_focus_points([m.focus for m in items])
    return sources, join_parts(alts) if any(alts) else "", focus


def _csv_row(post: Post) -> dict[str, str]:
    media, alts, focus = _media_cells(_media(post, ""))
    row = {
        "scheduled_at": _when(post),
        "time_zone": post.time_zone,
        "accounts": "|".join(_accounts(post)),
        "text": post.text,
        "link": post.link,
        "first_comment": post.first_comment,
        "thread": "",
        "media_urls": media,
        "media_alt_texts": alts,
        "media_focus": focus,
        "tags": "|".join(sorted(t.name for t in post.tags.all())),
        "campaign": post.campaign.name if post.campaign else "",
        "evergreen": "true" if post.evergreen else "",
        "recurrence": post.recurrence,
    }
    for network, v in _variants(post).items():
        media, alts, focus = _media_cells(_media(post, network))
        cells = {
            "text": v.text,
            "link": v.link,
            "first_comment": v.first_comment,
            "thread": join_parts(v.thread),
            "options": json.dumps(v.options, ensure_ascii=False) if v.options else "",
            "media_urls": media,
            "media_alt_texts": alts,
            "media_focus": focus,
        }
        row.update({f"network_{k}_{network}": value for k, value in cells.items() if value})
    for network in sorted(
        {m.network for m in post.media.all() if m.network} - set(_variants(post))
    ):
        media, alts, focus = _media_cells(_media(post, network))
        row[f"network_media_urls_{network}"] = media
        if alts:
            row[f"network_media_alt_texts_{network}"] = alts
        if focus:
            row[f"network_media_focus_{network}"] = focus
    return row


def post_json(post: Post) -> dict[str, Any]:
    def media(network: str) -> list[dict[str, Any]]:
        return [
            {
                "url": f"sha256:{m.asset.sha256}",
                "alt_text": m.alt_text,
                "focus": {"x": m.focus_x, "y": m.focus_y} if m.focus else None,
            }
            for m in _media(post, network)
        ]

    variants = _variants(post)
    networks = sorted(set(variants) | {m.network for m in post.media.all() if m.network})
    return {
        "scheduled_at": _when(post),
        "time_zone": post.time_zone,
        "accounts": _accounts(post),
        "text": post.text,
        "link": post.link,
        "first_comment": post.first_comment,
        "thread": [],
        "media": media(""),
        "tags": sorted(t.name for t in post.tags.all()),
        "campaign": post.campaign.name if post.campaign else "",
        "evergreen": post.evergreen,
        "recurrence": post.recurrence,
        "variants": [
            {
                "network": n,
                "text": variants[n].text if n in variants else "",
                "link": variants[n].link if n in variants else "",
                "first_comment": variants[n].first_comment if n in variants else "",
                "thread": variants[n].thread if n in variants else [],
                "options": variants[n].options if n in variants else {},
                "media": media(n),
            }
            for n in networks
        ],
    }
