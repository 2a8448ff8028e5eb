"""Reading the composer form as it was posted into a Draft, keeping everything typed and
noting, per form slot, what cannot be used (too long, a NUL character, a broken link)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.http import QueryDict
from django.utils.translation import gettext as _

from chorus.connectors.mastodon.instance import VISIBILITIES
from chorus.publishing.compose.inputs import focus_from_text
from chorus.publishing.web.draft import (
    LINK_MODES,
    MAX_ALT,
    MAX_COMMENT,
    MAX_LINK,
    MAX_MEDIA,
    MAX_OPTION,
    MAX_PARTS,
    MAX_TEXT,
    NETWORKS,
    POLL_DURATIONS,
    REPEATS,
    REPLY_CONTROLS,
    Draft,
    MediaFields,
    VariantFields,
    is_id,
)

_URL = URLValidator(schemes=["http", "https"])
# BCP 47 tags as networks take them ("en", "pt-BR", "zh-Hant"), comma-separated.
LANGUAGE_LIST = re.compile(
    r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*(\s*,\s*[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*){0,2}"
)


def from_data(data: QueryDict) -> Draft:
    draft = Draft()
    reader = _Reader(data, draft)
    draft.account_ids = reader.ids("accounts")
    draft.text = reader.text("text", MAX_TEXT)
    draft.link = reader.link("link", "link")
    draft.first_comment = reader.text("first_comment", MAX_COMMENT)
    draft.link_mode = reader.choice("link_mode", LINK_MODES, "shorten")
    draft.campaign = reader.text("campaign", 20)
    if draft.campaign and not is_id(draft.campaign):
        draft.error("campaign", _("Choose a campaign from the list."))
    draft.tags = reader.text("tags", 2000)
    draft.evergreen = bool(data.get("evergreen"))
    draft.repeat = reader.choice("repeat", (*REPEATS, "custom"), "")
    draft.repeat_interval = reader.text("repeat_interval", 10) or "1"
    draft.repeat_until = reader.text("repeat_until", 20)
    draft.custom_rule = reader.text("recurrence", 200)
    for network in NETWORKS:
        if any(key.startswith(f"v-{network}-") for key in data):
            _read_variant(reader, draft.variant(network))
    ids, alts, networks, focuses = (
        data.getlist(k) for k in ("media_id", "media_alt", "media_network", "media_focus")
    )
    for index, raw in enumerate(ids[:MAX_MEDIA]):
        if not is_id(raw):
            draft.error("media", _("An attachment was not recognised; remove it and add it again."))
            continue
        alt = alts[index] if index < len(alts) else ""
        slot = f"media-{len(draft.media)}"
        focus = reader.clean(focuses[index] if index < len(focuses) else "", f"{slot}-focus", 40)
        try:
            focus_from_text(focus)
        except ValueError:
            draft.error(
                f"{slot}-focus",
                _(
                    "Write the focus point as two numbers from -1 to 1 separated by a comma, "
                    "such as “0, 0.5” (x from left to right, y from bottom to top)."
                ),
            )
        draft.media.append(
            MediaFields(
                int(raw),
                reader.clean(alt, slot, MAX_ALT),
                networks[index] if index < len(networks) and networks[index] in NETWORKS else "",
                focus,
            )
        )
    draft.date = reader.text("date", 20)
    draft.time = reader.text("time", 20)
    draft.time_zone = reader.text("time_zone", 64)
    draft.fold = reader.choice("fold", ("0", "1"), "")
    version = data.get("version", "")
    draft.version = int(version) if is_id(version) else None
    return draft


def _read_variant(reader: _Reader, v: VariantFields) -> None:
    prefix = f"v-{v.network}-"
    v.text = reader.text(prefix + "text", MAX_TEXT)
    v.link = reader.link(prefix + "link", prefix + "link")
    v.first_comment = reader.text(prefix + "first_comment", MAX_COMMENT)
    v.thread = [
        reader.clean(part, f"{prefix}thread-{i}", MAX_TEXT)
        for i, part in enumerate(reader.data.getlist(prefix + "thread")[:MAX_PARTS], start=1)
    ]
    v.visibility = reader.choice(prefix + "visibility", VISIBILITIES, "")
    v.spoiler_text = reader.text(prefix + "spoiler_text", MAX_OPTION)
    v.title = reader.text(prefix + "title", MAX_OPTION)
    v.language = reader.text(prefix + "language", 100)
    if v.language.strip() and not LANGUAGE_LIST.fullmatch(v.language.strip()):
        reader.draft.error(
            prefix + "language",
            _("Give language codes such as “en” or “lo”, separated by commas."),
        )
    v.reply_control = reader.choice(prefix + "reply_control", REPLY_CONTROLS, "")
    v.quote = reader.text(prefix + "quote", MAX_LINK).strip()
    v.poll_options = reader.text(prefix + "poll_options", MAX_OPTION)
    v.poll_expires_in = reader.choice(prefix + "poll_expires_in", POLL_DURATIONS, "")
    v.poll_multiple = bool(reader.data.get(prefix + "poll_multiple"))
    v.numbering = bool(reader.data.get(prefix + "numbering"))
    v.split_as = reader.choice(prefix + "split_as", NETWORKS, "")


class _Reader:
    def __init__(self, data: QueryDict, draft: Draft) -> None:
        self.data = data
        self.draft = draft

    def clean(self, value: str, slot: str, limit: int) -> str:
        if "\x00" in value:
            self.draft.error(slot, _("This contains a character that cannot be stored (NUL)."))
            value = value.replace("\x00", "")
        if len(value) > limit:
            self.draft.error(
                slot, _("This is too long: at most %(limit)s characters.") % {"limit": limit}
            )
        return value

    def text(self, name: str, limit: int) -> str:
        return self.clean(self.data.get(name, ""), name, limit)

    def link(self, name: str, slot: str) -> str:
        value = self.text(name, MAX_LINK).strip()
        if value:
            try:
                _URL(value)
            except ValidationError:
                self.draft.error(
                    slot, _("Enter a full web address starting with https:// or http://.")
                )
        return value

    def choice(self, name: str, allowed: Iterable[str], default: str) -> str:
        value = self.data.get(name, default)
        return value if value in tuple(allowed) else default

    def ids(self, name: str) -> list[int]:
        values = self.data.getlist(name)
        if any(not is_id(v) for v in values):
            self.draft.error(name, _("Choose accounts from the list."))
        return [int(v) for v in values if is_id(v)][:200]
