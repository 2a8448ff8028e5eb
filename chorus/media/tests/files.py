"""Real media files made on the spot with Pillow and PyAV (no binary fixtures)."""

from __future__ import annotations

import io
from fractions import Fraction

import av
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def image_bytes(
    fmt: str = "PNG",
    size: tuple[int, int] = (64, 48),
    color: str | tuple[int, ...] = "teal",
    mode: str = "RGB",
    **save: object,
) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, color).save(out, format=fmt, **save)
    return out.getvalue()


def noisy_jpeg(size: tuple[int, int], **save: object) -> bytes:
    """A photo-like JPEG (random pixels compress badly, so it is heavy)."""
    import os

    image = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=95, **save)
    return out.getvalue()


def animated_gif(frames: int = 3, size: tuple[int, int] = (32, 32)) -> bytes:
    colors = ["red", "green", "blue", "yellow"]
    images = [Image.new("RGB", size, colors[i % len(colors)]) for i in range(frames)]
    out = io.BytesIO()
    images[0].save(out, format="GIF", save_all=True, append_images=images[1:], duration=100)
    return out.getvalue()


def mp4(
    seconds: float = 1.0,
    size: tuple[int, int] = (64, 48),
    fps: int = 10,
    rotation: int = 0,
    audio: bool = False,
) -> bytes:
    """An H.264 MP4 (with AAC audio if asked), `rotation` set in its display matrix."""
    out = io.BytesIO()
    with av.open(out, mode="w", format="mp4") as container:
        stream = container.add_stream("libx264", rate=fps)
        stream.width, stream.height = size
        stream.pix_fmt = "yuv420p"
        if rotation:
            stream.set_display_rotation(rotation)
        sound = container.add_stream("aac", rate=44100) if audio else None
        for index in range(int(seconds * fps)):
            image = Image.new("RGB", size, (index * 20 % 255, 80, 160))
            frame = av.VideoFrame.from_image(image)
            frame.pts = index
            frame.time_base = Fraction(1, fps)
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
        if sound is not None:
            silence = av.AudioFrame(format="fltp", layout="mono", samples=1024)
            for plane in silence.planes:
                plane.update(bytes(plane.buffer_size))
            silence.sample_rate = 44100
            silence.pts = 0
            for packet in sound.encode(silence):
                container.mux(packet)
            for packet in sound.encode():
                container.mux(packet)
    return out.getvalue()


def upload(data: bytes, name: str = "file.bin", content_type: str = "") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type or "application/octet-stream")
