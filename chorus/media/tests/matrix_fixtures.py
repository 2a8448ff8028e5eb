"""Media assets for the permission matrix: a small real PNG in each organisation."""

from __future__ import annotations

from typing import Any

from chorus.media import services
from chorus.media.tests.files import image_bytes, upload


def build(t: Any) -> None:
    t.media_asset = services.upload(
        t.workspace, t.users["owner"], upload(image_bytes(color="teal"), "acme.png")
    )
    t.other_media_asset = services.upload(
        t.other_workspace, t.other_owner, upload(image_bytes(color="orange"), "globex.png")
    )
