"""Bulk import: check every row of a file at once (dry run), then write all of it or none.

Who imports decides what the posts become: a role that may schedule (post.publish) gets
scheduled posts with deliveries due at their instants; a role that may only compose
(post.create, e.g. an editor) gets drafts carrying the intended time, with waiting
deliveries, for someone to review and schedule. Anyone may ask for drafts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from chorus.orgs import policy
from chorus.orgs.models import SocialAccount, Workspace
from chorus.publishing.bulk import formats, validate, writer
from chorus.publishing.bulk.issues import WARNING, Issue, sort_key
from chorus.publishing.bulk.media_batch import MediaBatch
from chorus.publishing.bulk.planned import Planned
from chorus.publishing.bulk.rows import Parsed, Upload
from chorus.publishing.scheduling.errors import ScheduleError
from chorus.publishing.scheduling.zones import LOCAL_FORMAT, zone_info

SCHEDULED = "scheduled"
DRAFT = "draft"
_EXCERPT = 80


class BadRequest(Exception):
    """A choice made at upload is wrong (zone, accounts): nothing in the file is read."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Preview:
    row: int
    local_time: str
    time_zone: str
    scheduled_at: datetime | None
    accounts: list[str]
    text: str
    state: str


@dataclass
class Report:
    format: str
    dry_run: bool
    mode: str
    rows: int
    issues: list[Issue]
    previews: list[Preview] = field(default_factory=list)
    post_ids: list[int] = field(default_factory=list)

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.is_error]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if not i.is_error]

    @property
    def ok(self) -> bool:
        return not self.errors and self.rows > 0


def check_choices(workspace: Workspace, upload: Upload) -> None:
    """Refuse a zone or accounts chosen at upload that do not exist here."""
    try:
        zone_info(upload.time_zone)
    except ScheduleError as exc:
        raise BadRequest("time_zone", exc.message) from None
    known = set(
        SocialAccount.objects.filter(workspace=workspace, pk__in=upload.account_ids).values_list(
            "pk", flat=True
        )
    )
    for pk in upload.account_ids:
        if pk not in known:
            raise BadRequest(
                "account_ids", _("There is no account %(id)s in this workspace.") % {"id": pk}
            )


def run(
    workspace: Workspace,
    user: Any,
    upload: Upload,
    *,
    dry_run: bool,
    drafts: bool = False,
    token: Any = None,
    now: datetime | None = None,
) -> Report:
    policy.authorize(user, "post.create", workspace, token=token)
    check_choices(workspace, upload)
    parsed = formats.parse(upload)
    return import_rows(
        workspace, user, parsed, dry_run=dry_run, drafts=drafts, token=token, now=now
    )


def import_rows(
    workspace: Workspace,
    user: Any,
    parsed: Parsed,
    *,
    dry_run: bool,
    drafts: bool = False,
    token: Any = None,
    now: datetime | None = None,
) -> Report:
    policy.authorize(user, "post.create", workspace, token=token)
    may_schedule = policy.can(user, "post.publish", workspace, token=token)
    scheduled = may_schedule and not drafts
    media = MediaBatch(workspace)
    try:
        plan = validate.plan(
            workspace, parsed, media, scheduled=scheduled, now=now or timezone.now()
        )
        if not may_schedule and not drafts:
            plan.issues.append(
                Issue(
                    None,
                    "",
                    "imported_as_drafts",
                    _(
                        "Your role may write posts but not schedule them: they will be imported as "
                        "drafts, with their times, for someone to review."
                    ),
                    severity=WARNING,
                )
            )
        report = Report(
            parsed.format.value,
            dry_run,
            SCHEDULED if scheduled else DRAFT,
            len(parsed.rows),
            sorted(plan.issues, key=sort_key),
            [_preview(p, scheduled=scheduled) for p in plan.posts],
        )
        if not parsed.rows and not report.errors:
            report.issues.append(Issue(None, "file", "no_rows", _("The file holds no posts.")))
        if dry_run or not report.ok:
            return report
        try:
            report.post_ids = writer.write(workspace, user, plan, media, token=token)
        except writer.Rejected as exc:
            report.issues += [
                parsed.issue(n, "scheduled_at", "daily_limit_reached", m) for n, m in exc.problems
            ]
        return report
    finally:
        media.close()


def _preview(post: Planned, *, scheduled: bool) -> Preview:
    text = post.data.text or next((v.text for v in post.data.variants if v.text), "")
    excerpt = text if len(text) <= _EXCERPT else text[: _EXCERPT - 1] + "…"
    on_time = scheduled and post.instant is not None
    return Preview(
        row=post.number,
        local_time=post.row.local.strftime(LOCAL_FORMAT) if post.row.local else post.row.when,
        time_zone=post.zone,
        scheduled_at=post.instant,
        accounts=[f"{a.network}:{a.handle}" for a in post.targets],
        text=excerpt,
        state=SCHEDULED if on_time else DRAFT,
    )
