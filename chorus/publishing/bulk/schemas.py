"""The Chorus JSON format (one object per post), also the shape of the JSON export and of
the API's `posts` body; and the API's answers about an import."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Field, Schema
from pydantic import ConfigDict


class FocusJson(Schema):
    model_config = ConfigDict(extra="forbid")

    x: float = Field(description="-1 is the left edge, 1 the right edge.", allow_inf_nan=False)
    y: float = Field(description="-1 is the bottom edge, 1 the top edge.", allow_inf_nan=False)


class MediaJson(Schema):
    model_config = ConfigDict(extra="forbid")

    url: str = Field(
        description="An http(s) URL to fetch, or sha256:<hash> of a file "
        "already in the workspace's media library."
    )
    alt_text: str = ""
    focus: FocusJson | None = Field(
        default=None,
        description="Where the subject is, so Mastodon crops previews around it; null: the centre.",
    )


class VariantJson(Schema):
    model_config = ConfigDict(extra="forbid")

    network: str = Field(description="x, bluesky, mastodon, threads, linkedin, …")
    text: str = ""
    link: str = ""
    first_comment: str = ""
    thread: list[str] = Field(default_factory=list, description="Replies after the first part.")
    options: dict[str, Any] = Field(
        default_factory=dict, description="Network options: visibility, spoiler_text, title, …"
    )
    media: list[MediaJson] = Field(default_factory=list)


class PostJson(Schema):
    model_config = ConfigDict(extra="forbid")

    scheduled_at: str = Field(
        "",
        description="Local date and time in time_zone, "
        "YYYY-MM-DD HH:MM; an offset (+02:00) only picks the instant "
        "of a time shown twice. Blank: a draft without a time.",
    )
    time_zone: str = Field("", description="IANA zone; blank: the zone chosen at upload.")
    accounts: list[str | int] = Field(
        default_factory=list,
        description="Account ids or network:handle; blank: the accounts chosen at upload.",
    )
    text: str = ""
    link: str = ""
    first_comment: str = ""
    thread: list[str] = Field(
        default_factory=list,
        description="Replies after `text`, on every target network that has threads.",
    )
    media: list[MediaJson] = Field(default_factory=list)
    tags: list[str] = Field(default_factory=list)
    campaign: str = Field("", description="A campaign's name; created when missing.")
    evergreen: bool = False
    recurrence: str = Field("", description="RFC 5545 RRULE, read in the post's zone.")
    variants: list[VariantJson] = Field(default_factory=list)


class IssueOut(Schema):
    row: int | None = Field(
        description="Spreadsheet row (the header is row 1) or, for "
        "JSON, the post's position from 1; null: the whole file."
    )
    field: str = Field(description="The column as the file names it.")
    column: str = Field(description="Spreadsheet column letter, for CSV files.")
    code: str
    message: str
    network: str
    start: int | None = Field(description="Character span of the offending text.")
    end: int | None
    severity: str = Field(description="error (blocks the import) or warning.")


class PreviewOut(Schema):
    row: int
    local_time: str = Field(
        description="Wall time in time_zone (as written when it could not be read); blank: no time."
    )
    time_zone: str
    scheduled_at: datetime | None = Field(description="The UTC instant.")
    accounts: list[str]
    text: str = Field(description="The start of the text.")
    state: str = Field(description="What the post will be: scheduled or draft.")


class ImportOut(Schema):
    ok: bool = Field(description="True when nothing blocks the import.")
    dry_run: bool
    format: str = Field(
        description="hootsuite, csv or json: as given or as detected (auto when the file "
        "could not be read as text)."
    )
    mode: str = Field(
        description="scheduled, or draft when the caller may not schedule or asked for drafts."
    )
    rows: int
    created: int
    post_ids: list[int]
    errors: list[IssueOut]
    warnings: list[IssueOut]
    preview: list[PreviewOut]
