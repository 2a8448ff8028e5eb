"""The composer's form as it was typed (``posted`` reads a POST into it) or as a post was
saved, and turned into the PostInput the compose service checks and saves.

Everything typed is kept, including blank thread parts and values that do not parse, so a
form with problems comes back exactly as it was sent. Problems found while reading (a
campaign that is not a number, a broken link) are collected per form slot in ``errors``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from chorus.publishing.compose.inputs import (
    Focus,
    MediaInput,
    PostInput,
    VariantInput,
    focus_as_text,
    focus_from_text,
)
from chorus.publishing.models import Post
from chorus.publishing.rules import Network
from chorus.publishing.scheduling.errors import ScheduleError
from chorus.publishing.scheduling.recurrence import simple_rule
from chorus.publishing.scheduling.zones import from_utc

WEBHOOK = "webhook"
NETWORKS = (*(n.value for n in Network), WEBHOOK)
LINK_MODES = ("shorten", "utm_only", "keep")
REPEATS = ("daily", "weekly", "monthly")
# Who may reply on Bluesky (a threadgate); combinations are comma-separated.
REPLY_CONTROLS = (
    "everyone",
    "nobody",
    "mentioned",
    "following",
    "followers",
    "mentioned,following",
)
# Poll lengths offered for Mastodon, in seconds (5 minutes to 7 days, as its own app offers).
POLL_DURATIONS = ("300", "1800", "3600", "21600", "86400", "259200", "604800")
# The same bounds as the API's, so a form cannot store what the API would refuse.
MAX_TEXT = 100_000
MAX_COMMENT = 10_000
MAX_LINK = 2000
MAX_PARTS = 100
MAX_MEDIA = 40
MAX_ALT = 5000
MAX_OPTION = 500


def is_id(value: str) -> bool:
    """A database id as typed: ASCII digits only (``"²".isdigit()`` is true), in range."""
    return value.isascii() and value.isdigit() and 0 < len(value) <= 18


def network_label(network: str) -> str:
    if network == WEBHOOK:
        return "Webhook"  # a channel's name, like the networks' brand names: not translated
    try:
        return Network(network).label
    except ValueError:
        return network.title()


@dataclass
class VariantFields:
    network: str
    text: str = ""
    link: str = ""
    first_comment: str = ""
    # As typed, blank parts included (they keep their place in the form).
    thread: list[str] = field(default_factory=list)
    visibility: str = ""
    spoiler_text: str = ""
    title: str = ""
    numbering: bool = False
    split_as: str = ""
    language: str = ""
    reply_control: str = ""
    quote: str = ""
    poll_options: str = ""
    poll_expires_in: str = ""
    poll_multiple: bool = False

    def options(self) -> dict[str, Any]:
        values: dict[str, Any] = {
            "visibility": self.visibility,
            "spoiler_text": self.spoiler_text.strip(),
            "title": self.title.strip(),
            "language": self.language.strip(),
            "reply_control": self.reply_control,
            "quote": self.quote.strip(),
        }
        if self.poll_options.strip():
            values["poll_options"] = self.poll_options.strip()
            values["poll_expires_in"] = int(self.poll_expires_in or "86400")
            values["poll_multiple"] = self.poll_multiple
        return {k: v for k, v in values.items() if v}

    def parts(self) -> list[tuple[int, str]]:
        """(place in the form, counted from 1, text) of each part that is not blank."""
        return [(i, p.strip()) for i, p in enumerate(self.thread, start=1) if p.strip()]

    def has_content(self) -> bool:
        return bool(
            self.text.strip()
            or self.link.strip()
            or self.first_comment.strip()
            or self.parts()
            or self.options()
        )


@dataclass
class MediaFields:
    asset_id: int
    alt_text: str = ""
    network: str = ""  # blank: every network
    # Mastodon's focal point as typed, "x, y" (blank: the centre).
    focus: str = ""


def usable_focus(value: str) -> Focus | None:
    # Reading the form already put a problem on the slot of a focus that does not parse.
    try:
        return focus_from_text(value)
    except ValueError:
        return None


@dataclass
class Draft:
    account_ids: list[int] = field(default_factory=list)
    text: str = ""
    link: str = ""
    first_comment: str = ""
    link_mode: str = "shorten"
    campaign: str = ""
    tags: str = ""
    evergreen: bool = False
    repeat: str = ""
    repeat_interval: str = "1"
    repeat_until: str = ""
    custom_rule: str = ""
    variants: dict[str, VariantFields] = field(default_factory=dict)
    media: list[MediaFields] = field(default_factory=list)
    date: str = ""
    time: str = ""
    time_zone: str = ""
    fold: str = ""
    version: int | None = None
    errors: dict[str, list[str]] = field(default_factory=dict)

    def variant(self, network: str) -> VariantFields:
        return self.variants.setdefault(network, VariantFields(network))

    def error(self, slot: str, message: str) -> None:
        self.errors.setdefault(slot, []).append(message)

    def tag_list(self) -> list[str]:
        return [t.strip() for t in self.tags.split(",") if t.strip()]

    def to_input(self, networks: Iterable[str]) -> PostInput:
        """The compose service's input; variants only for `networks` (those of the chosen
        accounts) and only where they change something."""
        variants = []
        for network in sorted(set(networks)):
            v = self.variants.get(network)
            if v is None or not v.has_content():
                continue
            variants.append(
                VariantInput(
                    network=network,
                    text=v.text.strip(),
                    link=v.link.strip(),
                    first_comment=v.first_comment.strip(),
                    thread=[text for _i, text in v.parts()],
                    options=v.options(),
                )
            )
        return PostInput(
            text=self.text.strip(),
            link=self.link.strip(),
            first_comment=self.first_comment.strip(),
            account_ids=list(dict.fromkeys(self.account_ids)),
            variants=variants,
            media=[
                MediaInput(m.asset_id, m.alt_text.strip(), m.network, usable_focus(m.focus))
                for m in self.media
            ],
            campaign_id=int(self.campaign) if is_id(self.campaign) else None,
            tags=self.tag_list(),
            evergreen=self.evergreen,
            recurrence=self.recurrence(),
            link_mode=self.link_mode,
        )

    def recurrence(self) -> str:
        """The RRULE of the repeat choices; an error on the "repeat" slot if they are wrong."""
        if self.repeat == "custom":
            return self.custom_rule.strip()
        if self.repeat not in REPEATS:
            return ""
        try:
            interval = int(self.repeat_interval or "1")
        except ValueError:
            self.error("repeat", _("Enter a whole number of days, weeks or months."))
            return ""
        until = None
        if self.repeat_until:
            try:
                until = date.fromisoformat(self.repeat_until)
            except ValueError:
                self.error("repeat", _("Enter the end date as a date, such as 2030-12-31."))
                return ""
        try:
            return simple_rule(self.repeat, interval, until=until)
        except ScheduleError as error:
            self.error("repeat", error.message)
            return ""


def from_post(post: Post) -> Draft:
    draft = Draft(
        account_ids=sorted(post.deliveries.values_list("account_id", flat=True)),
        text=post.text,
        link=post.link,
        first_comment=post.first_comment,
        link_mode=post.link_mode,
        campaign=str(post.campaign_id or ""),
        tags=", ".join(t.name for t in post.tags.all()),
        evergreen=post.evergreen,
        # A post never scheduled has no zone of its own yet: offer the workspace's.
        time_zone=post.time_zone if post.scheduled_at else post.workspace.time_zone,
        version=post.version,
    )
    _read_recurrence(draft, post.recurrence)
    for row in post.variants.all():
        options = row.options if isinstance(row.options, dict) else {}
        draft.variants[row.network] = VariantFields(
            network=row.network,
            text=row.text,
            link=row.link,
            first_comment=row.first_comment,
            thread=[str(p) for p in row.thread] if isinstance(row.thread, list) else [],
            visibility=str(options.get("visibility") or ""),
            spoiler_text=str(options.get("spoiler_text") or ""),
            title=str(options.get("title") or ""),
            language=str(options.get("language") or ""),
            reply_control=str(options.get("reply_control") or ""),
            quote=str(options.get("quote") or ""),
            poll_options=str(options.get("poll_options") or ""),
            poll_expires_in=str(options.get("poll_expires_in") or ""),
            poll_multiple=bool(options.get("poll_multiple")),
        )
    draft.media = [
        MediaFields(m.asset_id, m.alt_text, m.network, focus_as_text(m.focus))
        for m in post.media.all()
    ]
    if post.scheduled_at is not None:
        local = from_utc(post.scheduled_at, post.time_zone)
        draft.date, draft.time = local.date().isoformat(), local.strftime("%H:%M")
        draft.fold = str(local.fold)
    return draft


def _read_recurrence(draft: Draft, rule: str) -> None:
    """Show a rule the simple choices wrote as those choices; keep any other as it is."""
    if not rule:
        return
    parts = dict(p.partition("=")[::2] for p in rule.upper().split(";"))
    freq = parts.pop("FREQ", "").lower()
    interval = parts.pop("INTERVAL", "1")
    until = parts.pop("UNTIL", "")
    simple = freq in REPEATS and not parts and interval.isdigit() and len(until) in (0, 8)
    if simple:
        draft.repeat, draft.repeat_interval = freq, interval
        draft.repeat_until = f"{until[:4]}-{until[4:6]}-{until[6:]}" if until else ""
    else:
        draft.repeat, draft.custom_rule = "custom", rule
