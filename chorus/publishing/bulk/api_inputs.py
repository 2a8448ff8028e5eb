"""What an import request sends: a multipart form with the file, or a JSON body with the
file's text (`content`) or the posts themselves (`posts`). The JSON form is what scripts
and the permission matrix use; the multipart form suits large files (JSON bodies are
limited by DATA_UPLOAD_MAX_MEMORY_SIZE, 2.5 MB by default)."""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import (
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
    ValidationError,
)
from django.http import HttpRequest
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.errors import HttpError
from ninja.errors import ValidationError as RequestInvalid
from pydantic import ConfigDict
from pydantic import ValidationError as PydanticError

from chorus.api.schemas.common import MAX_ID
from chorus.publishing.bulk.decoding import MAX_FILE_BYTES
from chorus.publishing.bulk.rows import MAX_ROWS, DateOrder, Encoding, Format


class ImportOptions(Schema):
    model_config = ConfigDict(extra="forbid")

    format: Format = Field(
        Format.AUTO,
        description="auto detects: JSON, a CSV with a "
        "Chorus header, else Hootsuite's headerless CSV.",
    )
    dry_run: bool = Field(default=False, description="Check every row and write nothing.")
    drafts: bool = Field(default=False, description="Import as drafts even if you may schedule.")
    time_zone: str | None = Field(
        None, max_length=64, description="IANA zone of times without one; default: the workspace's."
    )
    account_ids: list[int] = Field(
        default_factory=list,
        max_length=200,
        description="Accounts for Hootsuite files, and for Chorus rows that name none.",
    )
    date_format: DateOrder = Field(
        DateOrder.MDY,
        description="How a Hootsuite file writes dates: mdy (05/13/2027 19:00), dmy or ymd.",
    )
    encoding: Encoding = Field(
        Encoding.UTF8, description="A UTF-8 or UTF-16 byte-order mark overrides it."
    )


class ImportJson(ImportOptions):
    content: str | None = Field(None, description="The file's text (CSV or JSON).")
    # Items are checked one by one (so errors name the row), not by this schema.
    posts: list[Any] | None = Field(
        None,
        max_length=MAX_ROWS,
        description="Or the posts themselves, as in the Chorus JSON format.",
    )


def _checked(model: type[ImportOptions], data: dict[str, Any]) -> Any:
    try:
        options = model.model_validate(data)
    except PydanticError as exc:
        raise RequestInvalid([dict(e) for e in exc.errors(include_url=False)]) from None
    for index, pk in enumerate(options.account_ids):
        if not 1 <= pk <= MAX_ID:
            raise ValidationError({f"account_ids.{index}": [_("This is not an account id.")]})
    return options


def read(request: HttpRequest) -> tuple[ImportOptions, bytes | None, list[Any] | None]:
    """The options, and the file's bytes or the posts given directly."""
    kind = request.content_type or ""
    try:
        if kind == "application/json":
            return _json(request)
        if kind == "multipart/form-data":
            return _multipart(request)
    except RequestDataTooBig:
        raise ValidationError(
            {
                "file": [
                    _(
                        "This body is too large to be read as a form or JSON; send the file as the "
                        "“file” part of a multipart/form-data body."
                    )
                ]
            }
        ) from None
    except (MultiPartParserError, TooManyFieldsSent, SuspiciousOperation):
        raise HttpError(400, _("The multipart body cannot be read.")) from None
    raise ValidationError(
        {
            "file": [
                _(
                    "Send the file as the “file” part of a multipart/form-data body, or a "
                    "JSON body with “content”."
                )
            ]
        }
    )


def _json(request: HttpRequest) -> tuple[ImportOptions, bytes | None, list[Any] | None]:
    try:
        data = json.loads(request.body)
    except (ValueError, RecursionError):
        raise HttpError(400, _("The request body is not valid JSON.")) from None
    if not isinstance(data, dict):
        raise ValidationError({"body": [_("Send a JSON object.")]})
    options = _checked(ImportJson, data)
    if (options.content is None) == (options.posts is None):
        raise ValidationError(
            {"content": [_("Send either “content” (the file's text) or “posts”.")]}
        )
    text = options.content
    # A lone surrogate becomes bytes that are not UTF-8, refused like any such file.
    content = text.encode("utf-8", "surrogatepass") if text is not None else None
    return options, content, options.posts


def _multipart(request: HttpRequest) -> tuple[ImportOptions, bytes | None, list[Any] | None]:
    data: dict[str, Any] = {}
    for key in request.POST:
        values = request.POST.getlist(key)
        if key == "account_ids":
            data[key] = [v.strip() for value in values for v in value.split(",") if v.strip()]
        else:
            data[key] = values[-1]
    options = _checked(ImportOptions, data)
    file = request.FILES.get("file")
    if file is None:
        raise ValidationError(
            {"file": [_("Send the file as the “file” part of a multipart/form-data body.")]}
        )
    if (file.size or 0) > MAX_FILE_BYTES:
        raise ValidationError(
            {
                "file": [
                    _("The file is larger than %(limit)s MB.")
                    % {"limit": MAX_FILE_BYTES // 1024**2}
                ]
            }
        )
    return options, file.read(), None


def _option_schemas() -> dict[str, Any]:
    """The options as plain JSON Schema (pydantic's $defs references do not resolve inside
    an OpenAPI document)."""
    fields = ImportOptions.model_json_schema()["properties"]
    fields["account_ids"] = {
        "type": "array",
        "items": {"type": "integer", "minimum": 1, "maximum": MAX_ID},
        "maxItems": 200,
        "description": fields["account_ids"]["description"],
    }
    fields["time_zone"] = {
        "type": "string",
        "maxLength": 64,
        "description": fields["time_zone"]["description"],
    }
    for name, kind in (("format", Format), ("date_format", DateOrder), ("encoding", Encoding)):
        fields[name] = {
            "type": "string",
            "enum": [m.value for m in kind],
            "default": fields[name]["default"],
            "description": fields[name]["description"],
        }
    return {k: {key: v for key, v in spec.items() if key != "title"} for k, spec in fields.items()}


IMPORT_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {
                            "type": "string",
                            "format": "binary",
                            "description": "The CSV or JSON file.",
                        },
                        **_option_schemas(),
                    },
                }
            },
            "application/json": {
                "schema": {
                    "type": "object",
                    "additionalProperties": False,
                    "properties": {
                        **_option_schemas(),
                        "content": {
                            "type": "string",
                            "description": "The file's text (CSV or JSON).",
                        },
                        "posts": {
                            "type": "array",
                            "maxItems": MAX_ROWS,
                            "items": {"$ref": "#/components/schemas/PostJson"},
                            "description": "Or the posts themselves, as in the Chorus JSON format.",
                        },
                    },
                }
            },
        },
    }
}
