"""Checks of the file as a whole: the accounts chosen at upload, the same post twice in a
minute, and notes on what the import will do beyond the rows (new campaigns, accounts to
reconnect, rows without a time)."""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext as _

from chorus.orgs.models import SocialAccount, Workspace
from chorus.publishing.bulk.issues import WARNING, Issue
from chorus.publishing.bulk.planned import Planned
from chorus.publishing.bulk.rows import Format, Parsed
from chorus.publishing.models import Campaign


def default_accounts(parsed: Parsed, defaults: list[SocialAccount]) -> list[Issue]:
    issues = []
    if parsed.format == Format.HOOTSUITE and not defaults and parsed.rows:
        issues.append(
            parsed.issue(
                None,
                "accounts",
                "required",
                _(
                    "A Hootsuite file names no accounts: choose the accounts it posts to when "
                    "uploading."
                ),
            )
        )
    for account in defaults:
        if account.status == SocialAccount.Status.DISCONNECTED:
            issues.append(
                parsed.issue(
                    None,
                    "accounts",
                    "account_disconnected",
                    _("%(account)s is disconnected; reconnect it or leave it out.")
                    % {"account": account.handle},
                )
            )
    return issues


def duplicates(parsed: Parsed, posts: list[Planned]) -> list[Issue]:
    """The same text on the same account in the same minute is a pasted row twice: an
    error. Different posts in the same minute are allowed, with a warning."""
    issues = []
    seen: dict[tuple[int, datetime], Planned] = {}
    for post in posts:
        if post.instant is None:
            continue
        minute = post.instant.replace(second=0, microsecond=0)
        for account in post.targets:
            earlier = seen.setdefault((account.pk, minute), post)
            if earlier is post:
                continue
            same = earlier.data.text == post.data.text
            issues.append(
                parsed.issue(
                    post.number,
                    "scheduled_at",
                    "duplicate_post" if same else "same_minute",
                    (
                        _("Row %(row)s already posts this text to %(account)s at this time.")
                        if same
                        else _("Row %(row)s also posts to %(account)s in this minute.")
                    )
                    % {"row": earlier.number, "account": account.handle},
                    severity="error" if same else WARNING,
                )
            )
            break
    return issues


def notes(
    workspace: Workspace, parsed: Parsed, posts: list[Planned], *, scheduled: bool
) -> list[Issue]:
    notes = []
    names = sorted({p.row.campaign for p in posts if p.row.campaign})
    existing = set(
        Campaign.objects.filter(workspace=workspace, name__in=names).values_list("name", flat=True)
    )
    new = [n for n in names if n not in existing]
    if new:
        notes.append(
            parsed.issue(
                None,
                "campaign",
                "new_campaigns",
                _("These campaigns will be created: %(names)s.") % {"names": ", ".join(new)},
                severity=WARNING,
            )
        )
    reconnect = sorted(
        {
            a.handle
            for p in posts
            for a in p.targets
            if a.status == SocialAccount.Status.NEEDS_RECONNECT
        }
    )
    if reconnect:
        notes.append(
            parsed.issue(
                None,
                "accounts",
                "account_needs_reconnect",
                _("Reconnect %(accounts)s: until then, posts to it wait and go out late.")
                % {"accounts": ", ".join(reconnect)},
                severity=WARNING,
            )
        )
    untimed = [p.number for p in posts if p.row.local is None and not p.row.when]
    if scheduled and untimed:
        notes.append(
            parsed.issue(
                None,
                "scheduled_at",
                "no_time",
                _("%(count)s rows have no time and will be imported as drafts.")
                % {"count": len(untimed)},
                severity=WARNING,
            )
        )
    return notes
