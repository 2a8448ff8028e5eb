"""Small stills of uploaded media for the library and the composer."""

from __future__ import annotations

import io
from typing import IO

import av
import av.error
from PIL import Image, ImageOps

from chorus.media.models import MediaKind

SIZE = (480, 480)


def still(file: IO[bytes], kind: str) -> Image.Image | None:
    """An upright picture of the file's first frame, or None if none can be drawn."""
    file.seek(0)
    try:
        if kind == MediaKind.VIDEO:
            with av.open(file, mode="r") as container:
                stream = container.streams.video[0]
                frame = next(iter(container.decode(stream)), None)
                if frame is None:
                    return None
                image = frame.to_image()
                if frame.rotation:
                    # The display matrix turns counter-clockwise, as Pillow's rotate does.
                    image = image.rotate(frame.rotation, expand=True)
                return image
        with Image.open(file) as source:
            source.seek(0)
            return ImageOps.exif_transpose(source).convert("RGBA")
    except (av.error.FFmpegError, OSError, ValueError, IndexError):
        return None
    finally:
        file.seek(0)


def thumbnail_bytes(file: IO[bytes], kind: str) -> bytes | None:
    """A WebP thumbnail (no metadata: EXIF, GPS and all are left behind)."""
    image = still(file, kind)
    if image is None:
        return None
    image.thumbnail(SIZE)
    out = io.BytesIO()
    image.save(out, format="WEBP", quality=80)
    return out.getvalue()
