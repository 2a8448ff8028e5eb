"""Files are known by their content; anything else is refused with a reason."""

from __future__ import annotations

import io
import zlib

import av
import pytest
from PIL import Image

from chorus.media.probe import MediaRejected, probe, sniff
from chorus.media.tests.files import animated_gif, image_bytes, mp4

LIMITS = {"max_bytes": 50_000_000, "max_pixels": 50_000_000}


def _probe(data: bytes, **limits: int):  # type: ignore[no-untyped-def]
    return probe(io.BytesIO(data), len(data), **{**LIMITS, **limits})


def _refusal(data: bytes, **limits: int) -> MediaRejected:
    with pytest.raises(MediaRejected) as caught:
        _probe(data, **limits)
    return caught.value


@pytest.mark.parametrize(
    ("fmt", "mime"),
    [("PNG", "image/png"), ("JPEG", "image/jpeg"), ("WEBP", "image/webp"), ("GIF", "image/gif")],
)
def test_it_recognises_still_images(fmt: str, mime: str) -> None:
    found = _probe(image_bytes(fmt, size=(120, 80)))
    assert (found.kind, found.mime_type, found.width, found.height) == ("image", mime, 120, 80)


def test_it_tells_an_animated_gif_from_a_still_one() -> None:
    found = _probe(animated_gif(frames=4))
    assert (found.kind, found.mime_type) == ("gif", "image/gif")


def test_it_measures_a_photo_as_it_is_shown_after_exif_rotation() -> None:
    exif = Image.Exif()
    exif[0x0112] = 6  # stored sideways, shown rotated 90°
    found = _probe(image_bytes("JPEG", size=(300, 200), exif=exif))
    assert (found.width, found.height) == (200, 300)


def test_it_probes_a_video_for_codec_duration_rate_and_sound() -> None:
    found = _probe(mp4(seconds=2, size=(96, 64), fps=10, audio=True))
    assert found.kind == "video"
    assert found.mime_type == "video/mp4"
    assert (found.width, found.height) == (96, 64)
    assert found.video_codec == "h264"
    assert found.audio_codec == "aac"
    assert found.frame_rate == 10
    assert found.duration_seconds == pytest.approx(2, abs=0.2)


def test_it_measures_a_rotated_video_upright() -> None:
    found = _probe(mp4(size=(96, 64), rotation=90))
    assert (found.width, found.height) == (64, 96)


@pytest.mark.parametrize(
    "content",
    [
        b"Just some notes, saved with a .jpg name.\n",
        b"<!doctype html><html><script>alert(1)</script></html>",
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(200),  # a Windows .exe
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n",
        b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic",  # HEIC photo
    ],
    ids=["text", "html", "exe", "pdf", "heic"],
)
def test_it_refuses_what_is_not_a_supported_image_or_video(content: bytes) -> None:
    refusal = _refusal(content)
    assert refusal.reason == "unsupported_media"
    assert "not a supported image or video" in refusal.message_dict["file"][0]


def test_it_refuses_a_truncated_png() -> None:
    whole = image_bytes("PNG", size=(200, 200), color=(10, 200, 30))
    refusal = _refusal(whole[: len(whole) // 2])
    assert refusal.reason == "corrupt_media"
    assert refusal.message_dict == {
        "file": ["The image is damaged or incomplete and cannot be read."]
    }


def test_it_refuses_a_truncated_jpeg() -> None:
    import os

    noisy = Image.frombytes("RGB", (128, 128), os.urandom(128 * 128 * 3))
    out = io.BytesIO()
    noisy.save(out, format="JPEG")
    assert _refusal(out.getvalue()[:2000]).reason == "corrupt_media"


def test_it_refuses_a_png_whose_data_was_tampered_with() -> None:
    data = bytearray(image_bytes("PNG", size=(64, 64)))
    data[60] ^= 0xFF  # inside the IDAT chunk: its checksum no longer matches
    assert _refusal(bytes(data)).reason == "corrupt_media"


def test_it_refuses_a_truncated_video() -> None:
    whole = mp4(seconds=1)
    assert _refusal(whole[:300]).reason in {"corrupt_media", "no_video_stream"}


def test_it_refuses_a_decompression_bomb_over_the_configured_pixels() -> None:
    # 4000x4000 of one colour: a few kilobytes that would unpack to 48 MB of pixels.
    bomb = image_bytes("PNG", size=(4000, 4000), mode="1", color=0)
    assert len(bomb) < 20_000
    refusal = _refusal(bomb, max_pixels=1_000_000)
    assert refusal.reason == "too_many_pixels"
    assert "4000×4000" in refusal.message_dict["file"][0]


def test_it_refuses_a_bomb_past_pillows_own_guard() -> None:
    # Twice Pillow's MAX_IMAGE_PIXELS: Pillow refuses it from the header alone.
    side = int((2 * Image.MAX_IMAGE_PIXELS) ** 0.5) + 10
    header = io.BytesIO()
    Image.new("1", (side, 1)).save(header, format="PNG")
    data = bytearray(header.getvalue())
    data[16:20] = side.to_bytes(4, "big")
    data[20:24] = side.to_bytes(4, "big")  # claims side×side pixels
    data[29:33] = zlib.crc32(bytes(data[12:29])).to_bytes(4, "big")  # a valid IHDR again
    refusal = _refusal(bytes(data), max_pixels=10**12)
    assert refusal.reason == "too_many_pixels"


def test_it_refuses_files_over_the_size_limit_before_reading_them() -> None:
    refusal = _refusal(image_bytes("PNG"), max_bytes=100)
    assert refusal.reason == "file_too_large"
    assert "at most 100 B" in refusal.message_dict["file"][0]


def test_it_refuses_an_empty_file() -> None:
    assert _refusal(b"").reason == "empty_file"


def test_it_refuses_a_video_codec_no_network_plays() -> None:
    out = io.BytesIO()
    with av.open(out, mode="w", format="mov") as container:
        stream = container.add_stream("mjpeg", rate=5)
        stream.width, stream.height, stream.pix_fmt = 32, 32, "yuvj420p"
        for index in range(3):
            frame = av.VideoFrame.from_image(Image.new("RGB", (32, 32), "red"))
            frame.pts = index
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    refusal = _refusal(out.getvalue())
    assert refusal.reason == "unsupported_video_codec"
    assert "mjpeg" in refusal.message_dict["file"][0]


def test_it_refuses_sound_without_pictures() -> None:
    out = io.BytesIO()
    with av.open(out, mode="w", format="mp4") as container:
        sound = container.add_stream("aac", rate=44100)
        silence = av.AudioFrame(format="fltp", layout="mono", samples=1024)
        for plane in silence.planes:
            plane.update(bytes(plane.buffer_size))
        silence.sample_rate, silence.pts = 44100, 0
        for packet in [*sound.encode(silence), *sound.encode()]:
            container.mux(packet)
    assert _refusal(out.getvalue()).reason == "no_video_stream"


def test_sniff_only_names_containers_chorus_accepts() -> None:
    assert sniff(image_bytes("PNG")[:64]) == "PNG"
    assert sniff(mp4()[:64]) == "mov"
    assert sniff(b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82\x84webm") == "webm"
    assert sniff(b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82\x88matroska") is None
