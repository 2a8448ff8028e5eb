"""The one shape every import format is read into: a post per row, as written, plus what
was already found wrong while reading it. Nothing here is checked against the database."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from chorus.publishing.bulk.issues import Issue
from chorus.publishing.rules.networks import Network

# Every import reads at most this many posts: enough for a year of hourly posts, small
# enough for one transaction and one page of results.
MAX_ROWS = 10_000
# Networks a column or variant may name: the built-in ones and the webhook connector.
NETWORKS = frozenset({*(n.value for n in Network), "webhook"})
# Fields a network column can override (network_<field>_<network> in the Chorus CSV).
VARIANT_FIELDS = (
    "text",
    "link",
    "first_comment",
    "thread",
    "options",
    "media_urls",
    "media_alt_texts",
    "media_focus",
)


class Format(StrEnum):
    AUTO = "auto"
    HOOTSUITE = "hootsuite"
    CSV = "csv"
    JSON = "json"


class DateOrder(StrEnum):
    """How a Hootsuite file writes its dates; chosen at upload, as in Hootsuite's dialog."""

    MDY = "mdy"  # 05/13/2016 19:00, the format the sources show
    DMY = "dmy"  # 13/05/2016 19:00
    YMD = "ymd"  # 2016-05-13 19:00


class Encoding(StrEnum):
    UTF8 = "utf-8"
    WINDOWS_1252 = "windows-1252"


@dataclass(frozen=True)
class Upload:
    """A file and the choices made when uploading it."""

    content: bytes
    time_zone: str
    name: str = ""
    format: Format = Format.AUTO
    account_ids: tuple[int, ...] = ()
    date_order: DateOrder = DateOrder.MDY
    encoding: Encoding = Encoding.UTF8


@dataclass
class MediaRef:
    # An http(s) URL to fetch, or "sha256:<hex>" for a file already in the workspace.
    source: str
    alt_text: str = ""
    # Mastodon's focal point, (x, y) each in -1..1; None: the centre.
    focus: tuple[float, float] | None = None


@dataclass
class VariantRow:
    """What one network gets instead of the row's base content (blank: the base)."""

    network: str
    text: str = ""
    link: str = ""
    first_comment: str = ""
    thread: list[str] = field(default_factory=list)
    options: dict[str, Any] = field(default_factory=dict)
    media: list[MediaRef] = field(default_factory=list)

    def is_empty(self) -> bool:
        return not (
            self.text
            or self.link
            or self.first_comment
            or self.thread
            or self.options
            or self.media
        )


@dataclass
class Row:
    number: int
    # The date and time as written, and as read: a wall-clock time, plus the UTC offset
    # when the file gave one (it picks the instant of a time the clocks show twice).
    when: str = ""
    local: datetime | None = None
    offset: timedelta | None = None
    time_zone: str = ""  # blank: the zone chosen at upload
    accounts: list[str] = field(default_factory=list)
    text: str = ""
    link: str = ""
    first_comment: str = ""
    thread: list[str] = field(default_factory=list)
    media: list[MediaRef] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    campaign: str = ""
    evergreen: bool = False
    recurrence: str = ""
    variants: dict[str, VariantRow] = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)
    # False when the row could not be read at all (a JSON item of the wrong shape): later
    # checks would only repeat that.
    complete: bool = True


# field name (as Chorus calls it) → (name the file uses, spreadsheet column letter)
Labeller = Callable[[str], tuple[str, str]]


def canonical_label(name: str) -> tuple[str, str]:
    return name, ""


@dataclass
class Parsed:
    format: Format
    rows: list[Row]
    # Problems with the file as a whole (encoding, structure, header, size).
    issues: list[Issue]
    label: Labeller = canonical_label
    time_zone: str = "UTC"
    account_ids: tuple[int, ...] = ()

    def issue(self, row: int | None, name: str, code: str, message: str, **extra: Any) -> Issue:
        label, column = self.label(name)
        return Issue(row, label, code, message, column=column, **extra)
