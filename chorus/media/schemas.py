"""API shapes of media assets."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import ConfigDict

from chorus.api.schemas.common import NoNul, limits
from chorus.media import services
from chorus.media.models import MediaAsset, MediaKind

AltText = Annotated[
    str,
    limits(services.ALT_TEXT_MAX, 0, "What the picture shows, for people who cannot see it."),
    NoNul,
]


class MediaProblemOut(Schema):
    code: str = Field(description="Stable code of the broken rule, such as media_too_large.")
    field: str
    message: str = Field(description="The rule, in the caller's language.")


class MediaOut(Schema):
    id: int
    workspace_id: int
    kind: MediaKind = Field(description="Read from the file's content, not its name.")
    mime_type: str
    original_name: str = Field(description="The uploaded file's name, for display only.")
    size_bytes: int
    sha256: str = Field(description="Uploading the same content again returns this asset.")
    width: int | None = Field(description="Pixels, as displayed (rotation applied).")
    height: int | None
    duration_seconds: float | None
    video_codec: str
    audio_codec: str
    frame_rate: float | None
    alt_text: str
    created_at: datetime
    problems: dict[str, list[MediaProblemOut]] = Field(
        description="Per network, the rules this file breaks there on its own (networks "
        "it suits are left out). Images that are only too large are resized when published."
    )

    @staticmethod
    def resolve_problems(obj: MediaAsset) -> dict[str, list[dict[str, Any]]]:
        return services.problems(obj)


class MediaPatch(Schema):
    model_config = ConfigDict(extra="forbid")

    alt_text: AltText


UPLOAD_BODY = {
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
                            "description": "JPEG, PNG, GIF or WebP image; MP4, MOV or WebM "
                            "video. Checked by content, not by name.",
                        },
                        "alt_text": {
                            "type": "string",
                            "maxLength": services.ALT_TEXT_MAX,
                            "description": "Alt text for the picture.",
                        },
                    },
                }
            }
        },
    }
}
