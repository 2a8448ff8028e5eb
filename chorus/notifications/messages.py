"""The words of each notification, in the target's language.

Every line is one translatable sentence with placeholders, so a translator sees whole
sentences and a translated message has no stray English in it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from urllib.parse import quote

from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from chorus.notifications.models import Event, NotificationTarget
from chorus.notifications.sending import Message, public_url
from chorus.notifications.summaries import Summary, summarise
from chorus.orgs.models import SocialAccount, Workspace
from chorus.publishing.models import Delivery, DeliveryState, Post

FIRST_LINE_LENGTH = 100
REASON_LENGTH = 500
# A summary lists this many failed posts by name; the rest are counted.
LISTED_FAILURES = 10


def workspace_url(workspace: Workspace) -> str:
    org = workspace.organisation
    return f"{public_url()}/o/{quote(org.slug)}/w/{quote(workspace.slug)}/"


def post_url(post: Post) -> str:
    return f"{workspace_url(post.workspace)}posts/{post.pk}/"


def first_line(post: Post) -> str:
    for line in post.text.splitlines():
        if line := line.strip():
            if len(line) > FIRST_LINE_LENGTH:
                return line[: FIRST_LINE_LENGTH - 1] + "…"
            return line
    return _("(no text)")


def one_line(text: str, limit: int = REASON_LENGTH) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def account_label(account: SocialAccount) -> str:
    return f"{account.handle} ({account.network})"


def post_failed(context: dict[str, Any]) -> Message | None:
    delivery = (
        Delivery.objects.select_related("post__workspace__organisation", "account")
        .filter(pk=context["delivery_id"])
        .first()
    )
    if delivery is None:
        return None
    post, account = delivery.post, delivery.account
    reason = one_line(context.get("message") or delivery.last_error) or _("No reason given.")
    if code := context.get("error_code"):
        reason = _("%(reason)s (code %(code)s)") % {"reason": reason, "code": one_line(code, 60)}
    values = {"account": account_label(account), "workspace": post.workspace.name}
    lines = [
        _("Post: %(first_line)s") % {"first_line": first_line(post)},
        _("Account: %(account)s") % values,
        _("Reason: %(reason)s") % {"reason": reason},
        _("Workspace: %(workspace)s") % values,
        _("Open in Chorus: %(url)s") % {"url": post_url(post)},
    ]
    title = _("Chorus: a post failed to publish to %(account)s") % values
    return Message(title, "\n".join(lines), kind="failure")


def account_reconnect(context: dict[str, Any]) -> Message | None:
    account = (
        SocialAccount.objects.select_related("workspace__organisation")
        .filter(pk=context["account_id"])
        .first()
    )
    if account is None:
        return None
    reason = one_line(context.get("message") or account.last_error) or _("No reason given.")
    values = {"account": account_label(account), "workspace": account.workspace.name}
    lines = [
        _("Account: %(account)s") % values,
        _("Reason: %(reason)s") % {"reason": reason},
        _("Workspace: %(workspace)s") % values,
        _(
            "Posts to this account wait until it is reconnected, then go out. "
            "Reconnect it in Chorus: %(url)s"
        )
        % {"url": workspace_url(account.workspace) + "accounts/"},
    ]
    title = _("Chorus: %(account)s needs reconnecting") % values
    return Message(title, "\n".join(lines), kind="warning")


def post_published(context: dict[str, Any]) -> Message | None:
    post = (
        Post.objects.select_related("workspace__organisation").filter(pk=context["post_id"]).first()
    )
    if post is None:
        return None
    lines = [_("Post: %(first_line)s") % {"first_line": first_line(post)}]
    published = post.deliveries.select_related("account").filter(state=DeliveryState.PUBLISHED)
    for delivery in published.order_by("account__network", "account__handle"):
        where = {"account": account_label(delivery.account), "url": delivery.remote_url}
        if delivery.remote_url:
            lines.append(_("On %(account)s: %(url)s") % where)
        else:
            lines.append(_("On %(account)s") % where)
    lines.append(_("Open in Chorus: %(url)s") % {"url": post_url(post)})
    title = _("Chorus: a post was published in %(workspace)s") % {"workspace": post.workspace.name}
    return Message(title, "\n".join(lines), kind="success")


def daily_summary(context: dict[str, Any]) -> Message | None:
    workspace = (
        Workspace.objects.select_related("organisation").filter(pk=context["workspace_id"]).first()
    )
    if workspace is None:
        return None
    summary = summarise(workspace, datetime.fromisoformat(context["now"]))
    return Message(
        _("Chorus daily summary for %(workspace)s, %(day)s")
        % {"workspace": workspace.name, "day": formats.date_format(summary.day, "DATE_FORMAT")},
        "\n".join(summary_lines(workspace, summary)),
        kind="warning" if summary.failed or summary.reconnect else "info",
    )


def summary_lines(workspace: Workspace, summary: Summary) -> list[str]:
    lines = [
        ngettext(
            "%(count)d post published in the last 24 hours.",
            "%(count)d posts published in the last 24 hours.",
            summary.published,
        )
        % {"count": summary.published},
        ngettext(
            "%(count)d post failed in the last 24 hours.",
            "%(count)d posts failed in the last 24 hours.",
            len(summary.failed),
        )
        % {"count": len(summary.failed)},
        ngettext(
            "%(count)d post scheduled for the next 24 hours.",
            "%(count)d posts scheduled for the next 24 hours.",
            summary.scheduled,
        )
        % {"count": summary.scheduled},
    ]
    if summary.reconnect:
        lines.append(
            ngettext(
                "%(count)d account needs reconnecting: %(accounts)s.",
                "%(count)d accounts need reconnecting: %(accounts)s.",
                len(summary.reconnect),
            )
            % {
                "count": len(summary.reconnect),
                "accounts": ", ".join(account_label(a) for a in summary.reconnect),
            }
        )
    else:
        lines.append(_("No account needs reconnecting."))
    for post in summary.failed[:LISTED_FAILURES]:
        lines.append(
            _("Failed: %(first_line)s, %(url)s")
            % {"first_line": first_line(post), "url": post_url(post)}
        )
    if (more := len(summary.failed) - LISTED_FAILURES) > 0:
        lines.append(
            ngettext("And %(count)d more failed post.", "And %(count)d more failed posts.", more)
            % {"count": more}
        )
    lines.append(_("Open in Chorus: %(url)s") % {"url": workspace_url(workspace)})
    return lines


def trial_message(target: NotificationTarget) -> Message:
    workspace = target.workspace
    return Message(
        _("Chorus: test notification for %(workspace)s") % {"workspace": workspace.name},
        "\n".join(
            [
                _("This is a test from Chorus. Notifications to “%(name)s” work.")
                % {"name": target.name},
                _("Open in Chorus: %(url)s") % {"url": workspace_url(workspace)},
            ]
        ),
    )


RENDERERS: dict[str, Callable[[dict[str, Any]], Message | None]] = {
    Event.POST_FAILED: post_failed,
    Event.ACCOUNT_RECONNECT: account_reconnect,
    Event.POST_PUBLISHED: post_published,
    Event.DAILY_SUMMARY: daily_summary,
}


def render(target: NotificationTarget, event: str, context: dict[str, Any]) -> Message | None:
    """The message for `event` in the target's language; None when what it is about is
    gone (a post deleted before its notification was sent)."""
    with translation.override(target.language):
        return RENDERERS[event](context)


def render_test(target: NotificationTarget) -> Message:
    with translation.override(target.language):
        return trial_message(target)
