"""Checking every row of an import at once, and planning what a real import writes.

Each row is checked like a post in the composer (chorus.publishing.compose.checks, the
per-network counting behind ``compose.service.check``), with the accounts, media and
campaigns resolved once for the whole file rather than with queries per row. Then the
file as a whole: the same post twice on an account in the same minute, and daily limits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _

from chorus.media.models import MediaAsset
from chorus.orgs.models import SocialAccount, Workspace
from chorus.publishing.bulk import daily, file_checks, row_checks
from chorus.publishing.bulk.directory import Directory
from chorus.publishing.bulk.issues import Issue
from chorus.publishing.bulk.media_batch import MediaBatch
from chorus.publishing.bulk.planned import Plan, Planned, PlannedMedia
from chorus.publishing.bulk.rows import Format, MediaRef, Parsed, Row, VariantRow
from chorus.publishing.compose.checks import check_post
from chorus.publishing.compose.inputs import MediaInput, PostInput, VariantInput
from chorus.publishing.compose.problems import Problem


@dataclass
class _Context:
    """What every row's check reads, resolved once for the file."""

    parsed: Parsed
    directory: Directory
    defaults: list[SocialAccount]
    media: MediaBatch
    assets: dict[int, MediaAsset]
    issues: list[Issue]
    now: datetime
    # False when the file's lack of accounts was already said once (Hootsuite).
    accounts_per_row: bool


def plan(
    workspace: Workspace, parsed: Parsed, media: MediaBatch, *, scheduled: bool, now: datetime
) -> Plan:
    issues = list(parsed.issues)
    directory = Directory(workspace)
    defaults = [directory.accounts[i] for i in parsed.account_ids if i in directory.accounts]
    media.resolve(_sources(parsed.rows))
    issues.extend(file_checks.default_accounts(parsed, defaults))
    context = _Context(
        parsed,
        directory,
        defaults,
        media,
        media.by_check_id(),
        issues,
        now,
        accounts_per_row=parsed.format != Format.HOOTSUITE or bool(defaults),
    )
    posts: list[Planned] = []
    for row in parsed.rows:
        issues.extend(row.issues)
        if row.complete:
            posts.append(_check_row(row, context))
    issues.extend(file_checks.duplicates(parsed, posts))
    if scheduled:
        for number, message in daily.over_limit(workspace, posts):
            issues.append(parsed.issue(number, "scheduled_at", "daily_limit_reached", message))
    issues.extend(file_checks.notes(workspace, parsed, posts, scheduled=scheduled))
    return Plan(posts, issues, scheduled)


def _sources(rows: list[Row]) -> list[str]:
    found = []
    for row in rows:
        found += [m.source for m in row.media]
        for variant in row.variants.values():
            found += [m.source for m in variant.media]
    return found


def _check_row(row: Row, ctx: _Context) -> Planned:
    parsed, media = ctx.parsed, ctx.media

    def report(name: str, code: str, message: str, **extra: object) -> None:
        ctx.issues.append(parsed.issue(row.number, name, code, message, **extra))

    row_checks.check_texts(row, report)
    zone = row_checks.zone_of(row, parsed.time_zone, report)
    instant = row_checks.instant(row, zone, ctx.now, report) if zone else None
    if row.recurrence and row.local is None:
        report("recurrence", "recurrence_needs_time", _("A repeating post needs a time."))
    targets = row_checks.accounts(
        row, ctx.directory, ctx.defaults, report, required=ctx.accounts_per_row
    )
    items: list[PlannedMedia] = []
    inputs: list[MediaInput] = []

    def add_media(refs: list[MediaRef], network: str) -> None:
        name = f"network_media_urls_{network}" if network else "media_urls"
        for ref in refs:
            if ref.source in media.errors:
                code, message = media.errors[ref.source]
                report(name, code, message)
            elif ref.source in media.assets:
                items.append(PlannedMedia(ref.source, ref.alt_text, network, ref.focus))
                inputs.append(
                    MediaInput(media.check_id(ref.source), ref.alt_text, network, ref.focus)
                )

    add_media(row.media, "")
    for network in sorted(row.variants):
        add_media(row.variants[network].media, network)
    data = PostInput(
        text=row.text,
        link=row.link,
        first_comment=row.first_comment,
        account_ids=[a.pk for a in targets],
        media=inputs,
        tags=row.tags,
        evergreen=row.evergreen,
        recurrence=row.recurrence,
        variants=_variants(row, targets),
    )
    if targets:
        for problem in check_post(data, targets, ctx.assets).problems:
            name = _field(problem, row)
            report(
                name,
                problem.code,
                problem.message,
                network=problem.network,
                start=problem.start,
                end=problem.end,
            )
    return Planned(row.number, row, targets, zone or parsed.time_zone, instant, data, items)


def _variants(row: Row, targets: list[SocialAccount]) -> list[VariantInput]:
    """A variant per network the row overrides, and per target network that gets the
    row's thread (the model keeps threads on variants)."""
    networks = {n for n, v in row.variants.items() if _content(v)}
    if row.thread:
        networks |= {a.network for a in targets}
    found = []
    for network in sorted(networks):
        own = row.variants.get(network)
        variant = VariantInput(network)
        if own is not None:
            variant.text, variant.link = own.text, own.link
            variant.first_comment, variant.options = own.first_comment, own.options
            variant.thread = list(own.thread)
        if not variant.thread:
            variant.thread = list(row.thread)
        found.append(variant)
    return found


def _content(variant: VariantRow) -> bool:
    """Whether the variant holds more than media (media alone needs no variant row)."""
    return bool(
        variant.text or variant.link or variant.first_comment or variant.thread or variant.options
    )


def _field(problem: Problem, row: Row) -> str:
    """The file's column for a composer problem field ("variants.x.text" → network_text_x)."""
    network = problem.network
    own = row.variants.get(network)
    name = problem.field
    if name.startswith("variants."):
        part = name.split(".")[2] if name.count(".") >= 2 else "text"
        if part == "thread" and not (own and own.thread):
            return "thread"
        return f"network_{part}_{network}"
    if name == "first_comment" and own and own.first_comment:
        return f"network_first_comment_{network}"
    if name.startswith("media"):
        return f"network_media_urls_{network}" if own and own.media else "media_urls"
    return name
