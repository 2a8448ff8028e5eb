"""What an uploaded file really is, read from its content and never from its name.

The first bytes decide which decoder may look at the file (a JPEG signature goes to
Pillow's JPEG decoder only, an MP4 box to FFmpeg's MP4 demuxer only), so a renamed
executable or an HTML page never reaches a parser that might accept it. The decoder then
reads the whole file: a truncated or corrupt image fails here, not at publishing time.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import IO, Any

import av
import av.error
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import ExifTags, Image

from chorus.media.models import MediaKind
from chorus.publishing.rules.media import human_size

# Pillow format -> MIME type; the only image formats Chorus takes in.
IMAGE_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif", "WEBP": "image/webp"}
EXTENSIONS = {
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/gif": ".gif",
    "image/webp": ".webp",
    "video/mp4": ".mp4",
    "video/quicktime": ".mov",
    "video/webm": ".webm",
}
# Codecs some network plays; anything else would be refused everywhere at publishing time.
VIDEO_CODECS = frozenset({"h264", "hevc", "vp8", "vp9", "av1", "mpeg4"})
# Every frame of an animation is decoded to prove the file whole; past this many, the
# file is not a GIF anyone posts but a way to keep a worker busy.
MAX_ANIMATION_FRAMES = 1000
# ISO base media brands that are still images (HEIC, AVIF), not video.
_IMAGE_BRANDS = {b"heic", b"heix", b"hevc", b"heim", b"heis", b"mif1", b"msf1", b"avif", b"avis"}
_HEAD = 64
# Sniffed container -> the only FFmpeg demuxer allowed to read it.
_DEMUXERS = {"mov": "mov", "webm": "matroska"}


class MediaRejected(ValidationError):
    """An upload Chorus will not store; ``reason`` is a stable code for clients."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__({"file": [ValidationError(message, code=reason)]})
        self.reason = reason


@dataclass(frozen=True)
class Probe:
    kind: str
    mime_type: str
    width: int | None = None
    height: int | None = None
    duration_seconds: float | None = None
    video_codec: str = ""
    audio_codec: str = ""
    frame_rate: float | None = None

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.mime_type]


def sniff(head: bytes) -> str | None:
    """The container a file's first bytes announce: a Pillow format name, "mov" or
    "webm", or None when it is none Chorus accepts."""
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "GIF"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    if head[4:8] == b"ftyp" and head[8:12] not in _IMAGE_BRANDS:
        return "mov"
    if head.startswith(b"\x1a\x45\xdf\xa3") and b"webm" in head:
        # WebM is Matroska with a "webm" DocType; other Matroska files are not accepted.
        return "webm"
    return None


def probe(file: IO[bytes], size: int, *, max_bytes: int, max_pixels: int) -> Probe:
    """Identify and fully decode `file` (`size` bytes), or raise MediaRejected."""
    if size == 0:
        raise MediaRejected("empty_file", _("The file is empty."))
    if size > max_bytes:
        raise MediaRejected(
            "file_too_large",
            _("The file is %(size)s; files can be at most %(limit)s.")
            % {"size": human_size(size), "limit": human_size(max_bytes)},
        )
    file.seek(0)
    container = sniff(file.read(_HEAD))
    file.seek(0)
    if container is None:
        raise MediaRejected(
            "unsupported_media",
            _(
                "This file is not a supported image or video. Chorus takes JPEG, PNG, GIF "
                "and WebP images and MP4, MOV and WebM videos, recognised by their content "
                "whatever the file is named."
            ),
        )
    if container in IMAGE_FORMATS:
        return _probe_image(file, container, max_pixels)
    return _probe_video(file, container, max_pixels)


def _too_many_pixels(width: int, height: int, max_pixels: int) -> MediaRejected:
    return MediaRejected(
        "too_many_pixels",
        _("The image is %(width)s×%(height)s pixels; at most %(limit)s pixels are accepted.")
        % {"width": width, "height": height, "limit": f"{max_pixels:,}"},
    )


def _corrupt(kind: str) -> MediaRejected:
    if kind == "image":
        return MediaRejected(
            "corrupt_media", _("The image is damaged or incomplete and cannot be read.")
        )
    return MediaRejected(
        "corrupt_media", _("The video is damaged or incomplete and cannot be read.")
    )


def _probe_image(file: IO[bytes], pillow_format: str, max_pixels: int) -> Probe:
    with warnings.catch_warnings():
        # Pillow only warns between its limit and twice that; refuse both the same way.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(file, formats=[pillow_format]) as image:
                width, height = image.size
                if width * height > max_pixels:
                    raise _too_many_pixels(width, height, max_pixels)
                image.verify()
            file.seek(0)
            with Image.open(file, formats=[pillow_format]) as image:
                frames = _decode_frames(image)
                orientation = image.getexif().get(ExifTags.Base.Orientation, 1)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            # Pillow's own guard, from the header alone: the size is not known here.
            raise MediaRejected(
                "too_many_pixels",
                _("The image has too many pixels to be processed safely."),
            ) from exc
        except (OSError, SyntaxError, ValueError, EOFError) as exc:
            raise _corrupt("image") from exc
    if orientation in (5, 6, 7, 8):
        # Stored sideways, shown upright: what readers see is what the rules measure.
        width, height = height, width
    return Probe(
        kind=MediaKind.GIF if frames > 1 else MediaKind.IMAGE,
        mime_type=IMAGE_FORMATS[pillow_format],
        width=width,
        height=height,
    )


def _decode_frames(image: Image.Image) -> int:
    frames = getattr(image, "n_frames", 1)
    if frames > MAX_ANIMATION_FRAMES:
        raise MediaRejected(
            "too_many_frames",
            _("The animation has %(count)s frames; at most %(limit)s are accepted.")
            % {"count": frames, "limit": MAX_ANIMATION_FRAMES},
        )
    for index in range(frames):
        image.seek(index)
        image.load()
    return frames


def _probe_video(file: IO[bytes], container_kind: str, max_pixels: int) -> Probe:
    try:
        with av.open(file, mode="r", format=_DEMUXERS[container_kind]) as container:
            return _read_video(container, container_kind, max_pixels)
    except av.error.FFmpegError as exc:
        raise _corrupt("video") from exc


def _read_video(container: Any, container_kind: str, max_pixels: int) -> Probe:
    video = next(iter(container.streams.video), None)
    if video is None:
        raise MediaRejected("no_video_stream", _("The file holds no video picture."))
    codec = video.codec_context.name
    if codec not in VIDEO_CODECS:
        raise MediaRejected(
            "unsupported_video_codec",
            _(
                "The video is encoded with %(codec)s, which no network plays. Export it as "
                "H.264 (MP4) and upload it again."
            )
            % {"codec": codec},
        )
    width, height = video.codec_context.width, video.codec_context.height
    if width * height > max_pixels:
        raise _too_many_pixels(width, height, max_pixels)
    first = next(iter(container.decode(video)), None)
    if first is None:
        raise _corrupt("video")
    if abs(first.rotation) % 180 == 90:
        width, height = height, width
    audio = next(iter(container.streams.audio), None)
    return Probe(
        kind=MediaKind.VIDEO,
        mime_type=_video_mime(container, container_kind),
        width=width,
        height=height,
        duration_seconds=_duration(container, video),
        video_codec=codec,
        audio_codec=audio.codec_context.name if audio is not None else "",
        frame_rate=round(float(video.average_rate), 3) if video.average_rate else None,
    )


def _duration(container: Any, video: Any) -> float | None:
    if container.duration:
        return round(container.duration / av.time_base, 3)
    if video.duration and video.time_base:
        return round(float(video.duration * video.time_base), 3)
    return None


def _video_mime(container: Any, container_kind: str) -> str:
    if container_kind == "webm":
        return "video/webm"
    brand = str(container.metadata.get("major_brand", "")).strip()
    return "video/quicktime" if brand == "qt" else "video/mp4"
