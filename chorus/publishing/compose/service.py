"""Saving composed posts: all of it or none of it, with a revision for every save."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from chorus.accounts.models import User
from chorus.media.models import MediaAsset
from chorus.orgs.models import SocialAccount, Workspace
from chorus.publishing import states
from chorus.publishing.compose.checks import Report, check_post
from chorus.publishing.compose.inputs import PostInput, focus_in_range
from chorus.publishing.compose.problems import InvalidPost, Problem
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
from chorus.publishing.scheduling.errors import ScheduleError
from chorus.publishing.scheduling.targets import set_targets

MAX_TAGS = 30
LINK_MODES = ("shorten", "utm_only", "keep")


def resolve(
    workspace: Workspace, data: PostInput
) -> tuple[list[SocialAccount], dict[int, MediaAsset], list[Problem]]:
    """Look up the accounts and media the input names, in this workspace only: an id from
    another workspace or organisation reads as unknown, revealing nothing."""
    problems: list[Problem] = []
    ids = list(dict.fromkeys(data.account_ids))
    accounts = list(SocialAccount.objects.filter(workspace=workspace, pk__in=ids))
    missing = set(ids) - {a.pk for a in accounts}
    for pk in sorted(missing):
        problems.append(
            Problem(
                "accounts",
                "unknown_account",
                _("There is no account %(id)s in this workspace.") % {"id": pk},
            )
        )
    asset_ids = [m.asset_id for m in data.media]
    assets = {a.pk: a for a in MediaAsset.objects.filter(workspace=workspace, pk__in=asset_ids)}
    for index, media in enumerate(data.media):
        if media.asset_id not in assets:
            problems.append(
                Problem(
                    f"media.{index}",
                    "unknown_media",
                    _("There is no media file %(id)s in this workspace.") % {"id": media.asset_id},
                )
            )
        if media.focus is not None and not focus_in_range(media.focus):
            problems.append(
                Problem(
                    f"media.{index}.focus",
                    "invalid_focus",
                    _(
                        "The focus point is two numbers from -1 to 1: x from left to right, "
                        "y from bottom to top."
                    ),
                )
            )
    if (
        data.campaign_id is not None
        and not Campaign.objects.filter(workspace=workspace, pk=data.campaign_id).exists()
    ):
        problems.append(
            Problem(
                "campaign_id",
                "unknown_campaign",
                _("There is no campaign %(id)s in this workspace.") % {"id": data.campaign_id},
            )
        )
    if data.link_mode not in LINK_MODES:
        problems.append(
            Problem(
                "link_mode",
                "invalid_link_mode",
                _("Links are shortened, tagged or kept: %(modes)s.")
                % {"modes": ", ".join(LINK_MODES)},
            )
        )
    if len(data.tags) > MAX_TAGS:
        problems.append(
            Problem(
                "tags", "too_many_tags", _("A post takes at most %(n)s tags.") % {"n": MAX_TAGS}
            )
        )
    for index, tag in enumerate(data.tags):
        if not tag.strip() or len(tag.strip()) > 60:
            problems.append(
                Problem(f"tags.{index}", "invalid_tag", _("Tags are 1 to 60 characters long."))
            )
    return accounts, assets, problems


def check(workspace: Workspace, data: PostInput) -> Report:
    """Everything wrong with `data`, without saving anything."""
    accounts, assets, problems = resolve(workspace, data)
    report = check_post(data, accounts, assets)
    return Report(problems + report.problems, report.counters)


def create_post(workspace: Workspace, author: User | None, data: PostInput) -> Post:
    report = check(workspace, data)
    if not report.ok:
        raise InvalidPost(report.problems)
    with transaction.atomic():
        post = Post.objects.create(workspace=workspace, author=author)
        _write(post, data)
        _revise(post, author)
    return post


def update_post(post: Post, author: User | None, data: PostInput, *, version: int | None) -> Post:
    """Replace the post's content. `version` is the one the editor started from; a save
    over someone else's newer save is refused rather than silently lost."""
    report = check(post.workspace, data)
    if not report.ok:
        raise InvalidPost(report.problems)
    with transaction.atomic():
        locked = Post.objects.select_for_update().get(pk=post.pk)
        if version is not None and locked.version != version:
            raise InvalidPost(
                [
                    Problem(
                        "version",
                        "stale",
                        _(
                            "Someone else saved this post since you opened it (version %(theirs)s, "
                            "yours %(yours)s). Reload it to see their changes."
                        )
                        % {"theirs": locked.version, "yours": version},
                    )
                ]
            )
        if locked.state not in states.EDITABLE:
            raise InvalidPost(
                [
                    Problem(
                        "state",
                        "not_editable",
                        _("A post that is %(state)s can no longer be edited.")
                        % {"state": str(PostState(locked.state).label).lower()},
                    )
                ]
            )
        _write(locked, data)
        Post.objects.filter(pk=locked.pk).update(version=F("version") + 1)
        locked.refresh_from_db()
        _revise(locked, author)
    post.refresh_from_db()
    return post


def _write(post: Post, data: PostInput) -> None:
    post.text = data.text.strip()
    post.link = data.link.strip()
    post.first_comment = data.first_comment.strip()
    post.campaign_id = data.campaign_id
    post.evergreen = data.evergreen
    post.recurrence = data.recurrence.strip()
    post.link_mode = data.link_mode
    post.save()
    tags = [
        Tag.objects.get_or_create(workspace=post.workspace, name=t.strip())[0]
        for t in dict.fromkeys(data.tags)
    ]
    post.tags.set(tags)
    post.variants.all().delete()
    PostVariant.objects.bulk_create(
        PostVariant(
            post=post,
            network=v.network,
            text=v.text.strip(),
            link=v.link.strip(),
            first_comment=v.first_comment.strip(),
            thread=[p.strip() for p in v.thread if p.strip()],
            options=v.options,
        )
        for v in data.variants
    )
    post.media.all().delete()
    PostMedia.objects.bulk_create(
        PostMedia(
            post=post,
            asset_id=m.asset_id,
            alt_text=m.alt_text,
            network=m.network,
            position=i,
            focus_x=m.focus[0] if m.focus else None,
            focus_y=m.focus[1] if m.focus else None,
        )
        for i, m in enumerate(data.media)
    )
    accounts = SocialAccount.objects.filter(workspace=post.workspace, pk__in=data.account_ids)
    try:
        set_targets(post, accounts)
    except ScheduleError as error:
        raise InvalidPost([Problem(error.field, error.code, str(error.message))]) from error


def snapshot(post: Post) -> dict[str, Any]:
    return {
        "text": post.text,
        "link": post.link,
        "first_comment": post.first_comment,
        "campaign_id": post.campaign_id,
        "tags": sorted(post.tags.values_list("name", flat=True)),
        "accounts": sorted(post.deliveries.values_list("account_id", flat=True)),
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
                "focus": list(m.focus) if m.focus else None,
            }
            for m in post.media.all()
        ],
        "scheduled_at": post.scheduled_at.isoformat() if post.scheduled_at else None,
        "time_zone": post.time_zone,
        "evergreen": post.evergreen,
        "recurrence": post.recurrence,
        "link_mode": post.link_mode,
    }


def _revise(post: Post, author: User | None) -> None:
    PostRevision.objects.create(
        post=post, version=post.version, author=author, content=snapshot(post)
    )


def cancel_post(post: Post) -> None:
    """Stop a post: deliveries not yet sent are cancelled; what is out stays out."""
    with transaction.atomic():
        locked = Post.objects.select_for_update().get(pk=post.pk)
        states.move(locked, PostState.CANCELLED)
        Delivery.objects.filter(
            post=locked,
            state__in=[DeliveryState.WAITING, DeliveryState.SCHEDULED, DeliveryState.RETRYING],
        ).update(state=DeliveryState.CANCELLED, due_at=None)
    post.refresh_from_db()
