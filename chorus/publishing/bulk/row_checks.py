"""Checks of one row that need no network rules: lengths, NUL characters, links, the time
(DST gaps and overlaps, the past), recurrence, accounts and tags."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import datetime

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

from chorus.orgs.models import SocialAccount
from chorus.publishing.bulk.directory import Directory, UnknownAccount
from chorus.publishing.bulk.rows import NETWORKS, Row
from chorus.publishing.compose.service import MAX_TAGS
from chorus.publishing.scheduling import recurrence
from chorus.publishing.scheduling.errors import ScheduleError
from chorus.publishing.scheduling.exact import GRACE
from chorus.publishing.scheduling.zones import LOCAL_FORMAT, to_utc, zone_info

# name, code, message, extra (network, start, end)
Report = Callable[..., None]
LIMITS = {
    "text": 100_000,
    "link": 2000,
    "first_comment": 10_000,
    "thread": 100_000,
    "media_alt_texts": 5000,
    "campaign": 120,
    "time_zone": 64,
    "recurrence": 200,
    "tags": 60,
    "media_urls": 2000,
    "accounts": 300,
    "options": 100_000,
}
MAX_PARTS = 100
MAX_MEDIA = 40
_URL = URLValidator(schemes=["http", "https"])
_SURROGATE = re.compile("[\ud800-\udfff]")


def texts(row: Row) -> Iterator[tuple[str, str]]:
    """Every piece of text of the row, with the field it came from."""
    yield "text", row.text
    yield "link", row.link
    yield "first_comment", row.first_comment
    yield "time_zone", row.time_zone
    yield "campaign", row.campaign
    yield "recurrence", row.recurrence
    for part in row.thread:
        yield "thread", part
    for tag in row.tags:
        yield "tags", tag
    for ref in row.accounts:
        yield "accounts", ref
    for media in row.media:
        yield "media_urls", media.source
        yield "media_alt_texts", media.alt_text
    for network, v in row.variants.items():
        yield f"network_text_{network}", v.text
        yield f"network_link_{network}", v.link
        yield f"network_first_comment_{network}", v.first_comment
        yield f"network_options_{network}", "".join(_strings(v.options))
        for part in v.thread:
            yield f"network_thread_{network}", part
        for media in v.media:
            yield f"network_media_urls_{network}", media.source
            yield f"network_media_alt_texts_{network}", media.alt_text


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def check_texts(row: Row, report: Report) -> None:
    seen: set[tuple[str, str]] = set()
    for name, value in texts(row):
        kind = (
            name.removeprefix("network_").rsplit("_", 1)[0] if name.startswith("network_") else name
        )
        if "\x00" in value and (name, "nul") not in seen:
            seen.add((name, "nul"))
            report(
                name,
                "nul_character",
                _("This cell contains a NUL character, which cannot be stored; remove it."),
            )
        if _SURROGATE.search(value) and (name, "surrogate") not in seen:
            # Only a JSON escape such as \ud800 can produce one; no database stores it.
            seen.add((name, "surrogate"))
            report(
                name,
                "invalid_character",
                _("This cell contains half of a character (a lone UTF-16 surrogate); remove it."),
            )
        limit = LIMITS.get(kind, 100_000)
        if len(value) > limit and (name, "long") not in seen:
            seen.add((name, "long"))
            report(
                name,
                "too_long",
                _("This is %(count)s characters long; at most %(limit)s fit here.")
                % {"count": f"{len(value):,}", "limit": f"{limit:,}"},
            )
    for name, link in [("link", row.link)] + [
        (f"network_link_{n}", v.link) for n, v in row.variants.items()
    ]:
        if link and "\x00" not in link:
            try:
                _URL(link)
            except ValidationError:
                report(
                    name,
                    "invalid_link",
                    _("“%(link)s” is not an http(s) address.") % {"link": link[:80]},
                )
    if len(row.thread) > MAX_PARTS or any(len(v.thread) > MAX_PARTS for v in row.variants.values()):
        report(
            "thread", "too_many_parts", _("A thread has at most %(n)s parts.") % {"n": MAX_PARTS}
        )
    if len(row.media) > MAX_MEDIA:
        report(
            "media_urls",
            "too_many_media",
            _("A post takes at most %(n)s media files.") % {"n": MAX_MEDIA},
        )
    for network in row.variants:
        if network not in NETWORKS:
            report(
                f"network_text_{network}",
                "unknown_network",
                _("“%(network)s” is not a network Chorus publishes to.")
                % {"network": network[:30]},
            )
    if len(row.tags) > MAX_TAGS:
        report("tags", "too_many_tags", _("A post takes at most %(n)s tags.") % {"n": MAX_TAGS})


def instant(row: Row, zone: str, now: datetime, report: Report) -> datetime | None:
    """The UTC instant of the row's time, or None (with the reason reported)."""
    if row.local is None:
        return None
    try:
        found = to_utc(row.local, zone) if row.offset is None else _with_offset(row, zone)
    except ScheduleError as exc:
        report("scheduled_at", exc.code, exc.message)
        return None
    if found < now - GRACE:
        report(
            "scheduled_at",
            "in_past",
            _("%(time)s (%(zone)s) is in the past. Choose a later time.")
            % {"time": row.local.strftime(LOCAL_FORMAT), "zone": zone},
        )
        return None
    if row.recurrence:
        try:
            recurrence.validate(row.recurrence, row.local, zone)
        except ScheduleError as exc:
            report("recurrence", exc.code, exc.message)
    return found


def _with_offset(row: Row, zone: str) -> datetime:
    assert row.local is not None and row.offset is not None
    for fold in (0, 1):
        candidate = to_utc(row.local, zone, fold=fold)
        if candidate.replace(tzinfo=None) + row.offset == row.local:
            return candidate
    raise ScheduleError(
        "offset_mismatch",
        "scheduled_at",
        _(
            "%(time)s in %(zone)s is not at the UTC offset the file gives; leave the offset out, "
            "or correct it."
        ),
        {"time": row.when, "zone": zone},
    )


def zone_of(row: Row, default: str, report: Report) -> str | None:
    zone = row.time_zone or default
    try:
        zone_info(zone)
    except ScheduleError as exc:
        report("time_zone", exc.code, exc.message)
        return None
    return zone


def accounts(
    row: Row,
    directory: Directory,
    defaults: list[SocialAccount],
    report: Report,
    *,
    required: bool = True,
) -> list[SocialAccount]:
    """The row's own accounts, or else those chosen at upload (checked once, by the
    caller, rather than on every row). `required=False`: the caller already said, once,
    that none were chosen."""
    if not row.accounts:
        if not defaults and required:
            report(
                "accounts",
                "required",
                _("No account to post to: name them in the file, or choose them when uploading."),
            )
        return list(defaults)
    found: dict[int, SocialAccount] = {}
    for ref in row.accounts:
        try:
            account = directory.find(ref)
        except UnknownAccount as exc:
            report("accounts", exc.code, exc.message)
            continue
        found[account.pk] = account
    for account in found.values():
        if account.status == SocialAccount.Status.DISCONNECTED:
            report(
                "accounts",
                "account_disconnected",
                _("%(account)s is disconnected; reconnect it or leave it out.")
                % {"account": account.handle},
            )
    return list(found.values())
