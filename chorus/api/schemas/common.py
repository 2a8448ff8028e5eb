"""Shapes and field types shared by every area of the API."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.params import P
from pydantic import AfterValidator

# Ids are 64-bit in every supported database; larger numbers can only be mistakes.
MAX_ID = 2**63 - 1
# JSON Schema form of "no NUL character", so clients and fuzzers know the rule too.
NO_NUL_PATTERN = "^[^\\x00]*$"


def _no_nul(value: str) -> str:
    # PostgreSQL cannot store NUL in text; refuse it here with a clear message.
    if "\x00" in value:
        raise ValueError(_("This must not contain the NUL character."))
    return value


NoNul = AfterValidator(_no_nul)


def limits(
    max_length: int, min_length: int = 0, description: str | None = None, default: Any = ...
) -> Any:
    """Length limits for a text field, with the no-NUL rule stated in its JSON Schema."""
    return Field(
        default,
        min_length=min_length,
        max_length=max_length,
        description=description,
        json_schema_extra={"pattern": NO_NUL_PATTERN},
    )


def _as_utc(value: datetime) -> datetime:
    # A time without an offset is taken as UTC; everything is stored in UTC.
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    try:
        return value.astimezone(UTC)
    except OverflowError as exc:
        raise ValueError(_("This date is outside the supported range.")) from exc


UtcDatetime = Annotated[datetime, AfterValidator(_as_utc)]


def id_param(description: str) -> Any:
    """Constraints of an object id in the path."""
    return P(ge=1, le=MAX_ID, description=description)


def text_param(description: str, max_length: int = 200) -> Any:
    """Constraints of a free-text query parameter."""
    return P(description=description, max_length=max_length, pattern=NO_NUL_PATTERN)


class ErrorOut(Schema):
    """The body of every error response."""

    detail: str = Field(description="What went wrong, in the user's language.")
    errors: dict[str, list[str]] = Field(
        default_factory=dict,
        description="Messages per input field, for validation errors; `__all__` for "
        "problems that concern no single field.",
    )
    problems: list[dict[str, Any]] = Field(
        default_factory=list,
        description="For posts: each broken rule with its field, code, network and the "
        "character span (start, end) of the offending text.",
    )


ERROR_DESCRIPTIONS = {
    400: "The request body is not valid JSON.",
    401: "No valid API token was sent.",
    403: "The token's role or scope does not allow this.",
    404: "No such object, or it belongs to another organisation.",
    409: "The change conflicts with existing data.",
    422: "Some input is not valid; `errors` names the fields.",
}
ERROR_CODES = frozenset(ERROR_DESCRIPTIONS)


def responses(ok: dict[int, Any]) -> dict[Any, Any]:
    """The response map of an operation: its success shapes plus every error shape."""
    return {**ok, ERROR_CODES: ErrorOut}
