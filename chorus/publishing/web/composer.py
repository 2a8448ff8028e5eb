"""What the composer templates render: the fields with their values and problems, the
account chips, one panel per network, the attachments, counters and previews.

Templates cannot look up a dict by a computed key, so every field arrives as a
``FieldView`` carrying its own name, value and problems.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from chorus.media.models import MediaAsset
from chorus.orgs import policy
from chorus.orgs.models import SocialAccount
from chorus.orgs.timezones import available
from chorus.publishing.compose import service
from chorus.publishing.compose.checks import FIRST_COMMENT_NETWORKS
from chorus.publishing.compose.problems import Problem
from chorus.publishing.models import Campaign, Post
from chorus.publishing.rules import THREADED_NETWORKS
from chorus.publishing.web import counters, previews
from chorus.publishing.web.draft import VariantFields, network_label
from chorus.publishing.web.edits import can_split, split_network
from chorus.publishing.web.placing import FORM, Placed, from_errors, place
from chorus.publishing.web.reading import Reading, usable

TITLE_NETWORKS = ("youtube", "pinterest")


@dataclass
class FieldView:
    slot: str
    value: Any = ""
    errors: list[Placed] = field(default_factory=list)

    @property
    def id(self) -> str:
        return f"f-{self.slot}"

    @property
    def error_id(self) -> str:
        return f"err-{self.slot}"


@dataclass
class Chip:
    account: SocialAccount
    checked: bool
    disabled: bool


@dataclass
class Panel:
    network: str
    label: str
    selected: bool
    variant: VariantFields
    text: FieldView
    link: FieldView
    first_comment: FieldView
    thread_slot: FieldView
    thread: list[FieldView]
    split: FieldView
    spoiler_text: FieldView | None = None
    visibility: FieldView | None = None
    title: FieldView | None = None
    language: FieldView | None = None
    reply_control: FieldView | None = None
    quote: FieldView | None = None
    poll_options: FieldView | None = None
    poll_expires_in: FieldView | None = None
    poll_multiple: FieldView | None = None
    can_split: bool = False
    split_as: str = ""
    split_choices: list[tuple[str, str]] = field(default_factory=list)
    takes_thread: bool = False
    takes_first_comment: bool = False


@dataclass
class MediaItem:
    index: int
    asset_id: int
    network: str
    alt: FieldView
    view: previews.MediaView | None
    focus: FieldView


class _Slots:
    """Hands out FieldViews, each with the problems placed on its slot."""

    def __init__(self, placed: Iterable[Placed]) -> None:
        self.placed: dict[str, list[Placed]] = {}
        for item in placed:
            self.placed.setdefault(item.slot, []).append(item)
        self.made: list[FieldView] = []

    def __call__(self, slot: str, value: Any = "") -> FieldView:
        view = FieldView(slot, value, self.placed.get(slot, []))
        self.made.append(view)
        return view

    def leftovers(self) -> list[Placed]:
        """Problems whose slot is not on the page, so none goes unseen."""
        shown = {v.slot for v in self.made}
        return [p for slot, items in self.placed.items() if slot not in shown for p in items]


def context(
    request: HttpRequest,
    reading: Reading,
    *,
    problems: list[Problem] | None = None,
    show_problems: bool = True,
    extra: Iterable[Placed] = (),
) -> dict[str, Any]:
    ws, draft, data = reading.workspace, reading.draft, reading.data
    if problems is None:
        problems = service.check(ws, data).problems if show_problems else []
    placed = [*from_errors(draft.errors), *place(problems, data, draft), *extra]
    slot = _Slots(placed)
    fields = {
        name: slot(name, getattr(draft, name, ""))
        for name in (
            "accounts",
            "text",
            "link",
            "first_comment",
            "link_mode",
            "campaign",
            "tags",
            "repeat",
            "media",
            "schedule",
            "time_zone",
        )
    }
    assets = {
        a.pk: a
        for a in MediaAsset.objects.filter(workspace=ws, pk__in=[m.asset_id for m in data.media])
    }
    panels = [_panel(slot, reading, network) for network in _workspace_networks(reading)]
    media = [
        MediaItem(
            i,
            m.asset_id,
            m.network,
            slot(f"media-{i}", m.alt_text),
            previews.media_view(ws, assets[m.asset_id]) if m.asset_id in assets else None,
            slot(f"media-{i}-focus", m.focus),
        )
        for i, m in enumerate(draft.media)
    ]
    form_slot = slot(FORM)
    form_slot.errors = [*form_slot.errors, *slot.leftovers()]
    post = reading.post
    org = ws.organisation
    return {
        "org": org,
        "workspace": ws,
        "post": post,
        "draft": draft,
        "fields": fields,
        "form_errors": form_slot,
        "all_slots": slot.made,
        "problems": placed,
        "chips": _chips(reading),
        "panels": panels,
        "media_items": media,
        "counters": counters.count_all(data, reading.selected),
        "previews": previews.build(ws, data, reading.selected, assets),
        "when_help": reading.when_help,
        "campaigns": Campaign.objects.filter(workspace=ws),
        "link_modes": Post._meta.get_field("link_mode").choices,
        "visibilities": visibility_choices(),
        "reply_controls": reply_control_choices(),
        "poll_durations": poll_duration_choices(),
        "repeats": repeat_choices(),
        "zones": sorted(available()),
        "default_zone": draft.time_zone or ws.time_zone,
        "can_publish": policy.can(request.user, "post.publish", ws),
        "form_url": (
            reverse("web:post_edit", args=(org.slug, ws.slug, post.pk))
            if post
            else reverse("web:compose", args=(org.slug, ws.slug))
        ),
        "check_url": reverse("web:compose_check", args=(org.slug, ws.slug)),
        "split_url": reverse("web:compose_split", args=(org.slug, ws.slug)),
        "upload_url": reverse("web:media_upload", args=(org.slug, ws.slug)),
    }


def _workspace_networks(reading: Reading) -> list[str]:
    networks = {a.network for a in reading.accounts}
    return sorted(networks, key=network_label)


def _chips(reading: Reading) -> list[tuple[str, list[Chip]]]:
    chosen = set(reading.draft.account_ids)
    groups: dict[str, list[Chip]] = {}
    for account in reading.accounts:
        disabled = not usable(account) and account.pk not in reading.targeted
        groups.setdefault(account.network, []).append(
            Chip(account, account.pk in chosen and not disabled, disabled)
        )
    return [(network_label(n), groups[n]) for n in sorted(groups, key=network_label)]


def _panel(slot: _Slots, reading: Reading, network: str) -> Panel:
    v = reading.draft.variants.get(network) or VariantFields(network)
    prefix = f"v-{network}-"
    threaded = network in THREADED_NETWORKS or network == "webhook"
    panel = Panel(
        network=network,
        label=network_label(network),
        selected=network in reading.networks,
        variant=v,
        text=slot(prefix + "text", v.text),
        link=slot(prefix + "link", v.link),
        first_comment=slot(prefix + "first_comment", v.first_comment),
        thread_slot=slot(prefix + "thread"),
        thread=[slot(f"{prefix}thread-{i}", part) for i, part in enumerate(v.thread, start=1)],
        split=slot(prefix + "split"),
        can_split=can_split(network),
        takes_thread=threaded,
        takes_first_comment=network in FIRST_COMMENT_NETWORKS,
    )
    if network in ("mastodon", "bluesky"):
        panel.language = slot(prefix + "language", v.language)
    if network == "mastodon":
        panel.spoiler_text = slot(prefix + "spoiler_text", v.spoiler_text)
        panel.visibility = slot(prefix + "visibility", v.visibility)
        panel.poll_options = slot(prefix + "poll_options", v.poll_options)
        panel.poll_expires_in = slot(prefix + "poll_expires_in", v.poll_expires_in)
        panel.poll_multiple = slot(prefix + "poll_multiple", v.poll_multiple)
    if network == "bluesky":
        panel.reply_control = slot(prefix + "reply_control", v.reply_control)
        panel.quote = slot(prefix + "quote", v.quote)
    if network in TITLE_NETWORKS:
        panel.title = slot(prefix + "title", v.title)
    if network == "webhook":
        chosen = split_network(reading.draft, network)
        panel.split_as = str(chosen or "")
        panel.split_choices = [(str(n), n.label) for n in sorted(THREADED_NETWORKS)]
    return panel


def visibility_choices() -> list[tuple[str, str]]:
    return [
        ("", _("Account default")),
        ("public", _("Public")),
        ("unlisted", _("Quiet public")),
        ("private", _("Followers only")),
        ("direct", _("Mentioned people only")),
    ]


def reply_control_choices() -> list[tuple[str, str]]:
    return [
        ("", _("Everybody (the account's default)")),
        ("nobody", _("Nobody")),
        ("mentioned", _("People mentioned in the post")),
        ("following", _("People the account follows")),
        ("followers", _("The account's followers")),
        ("mentioned,following", _("People mentioned or followed")),
    ]


def poll_duration_choices() -> list[tuple[str, str]]:
    return [
        ("300", _("5 minutes")),
        ("1800", _("30 minutes")),
        ("3600", _("1 hour")),
        ("21600", _("6 hours")),
        ("86400", _("1 day")),
        ("259200", _("3 days")),
        ("604800", _("7 days")),
    ]


def repeat_choices() -> list[tuple[str, str]]:
    return [
        ("", _("Does not repeat")),
        ("daily", _("Every day")),
        ("weekly", _("Every week")),
        ("monthly", _("Every month")),
    ]
