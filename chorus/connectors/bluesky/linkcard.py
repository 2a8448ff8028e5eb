"""A link card's content, read from the linked page the way the Bluesky app does it.

Bluesky does not unfurl links itself: the poster's app fetches the page and writes title,
description and thumbnail into the post (``app.bsky.embed.external``). The fetch is made by
the server, so it goes through the same guard as media imports (every address checked,
redirects followed by hand, private networks refused unless CHORUS_MEDIA_FETCH_PRIVATE),
capped in size and time; and only http(s) pages are read. A page that cannot be read still
gets a card, with its address as the title, rather than holding the post back.
"""

from __future__ import annotations

import io
import time
from dataclasses import dataclass
from html.parser import HTMLParser

import httpx
from PIL import Image

from chorus.media.probe import MediaKind
from chorus.publishing.bulk.media_fetch import FetchError, fetch, guarded_get

PAGE_MAX_BYTES = 1024 * 1024
PAGE_DEADLINE_SECONDS = 10.0
# app.bsky.embed.external#main thumb: an image blob of at most 1,000,000 bytes.
THUMB_MAX_BYTES = 1_000_000
THUMB_MAX_SIDE = 2000
TITLE_MAX = 300
DESCRIPTION_MAX = 1000


@dataclass(frozen=True)
class Card:
    uri: str
    title: str
    description: str = ""
    image_url: str = ""


@dataclass(frozen=True)
class Thumbnail:
    data: bytes
    mime_type: str


def read_card(url: str) -> Card:
    try:
        final_url, html = _fetch_page(url)
    except (FetchError, httpx.HTTPError, LookupError, UnicodeError, ValueError):
        return Card(uri=url, title=url)
    meta = _PageMeta()
    meta.feed(html)
    meta.close()
    title = meta.first("og:title", "twitter:title") or meta.title.strip() or url
    description = meta.first("og:description", "twitter:description", "description")
    image = meta.first("og:image", "og:image:url", "twitter:image")
    image_url = str(httpx.URL(final_url).join(image)) if image else ""
    return Card(
        uri=url,
        title=" ".join(title.split())[:TITLE_MAX],
        description=" ".join(description.split())[:DESCRIPTION_MAX],
        image_url=image_url if image_url.startswith(("http://", "https://")) else "",
    )


def thumbnail(image_url: str) -> Thumbnail | None:
    """The card's image as a blob Bluesky takes (JPEG, PNG or WebP, under 1 MB), or None
    when it cannot be fetched or is no image."""
    if not image_url:
        return None
    try:
        fetched = fetch(image_url)
    except FetchError:
        return None
    try:
        if fetched.info.kind is not MediaKind.IMAGE:
            return None
        data = fetched.file.read()
    finally:
        fetched.close()
    mime = fetched.info.mime_type
    if len(data) <= THUMB_MAX_BYTES and mime in ("image/jpeg", "image/png", "image/webp"):
        return Thumbnail(data, mime)
    return _shrunk(data)


def _shrunk(data: bytes) -> Thumbnail | None:
    try:
        with Image.open(io.BytesIO(data)) as image:
            picture = image.convert("RGB")
    except (OSError, ValueError):
        return None
    picture.thumbnail((THUMB_MAX_SIDE, THUMB_MAX_SIDE))
    for quality in (85, 70, 55):
        out = io.BytesIO()
        picture.save(out, format="JPEG", quality=quality)
        if out.tell() <= THUMB_MAX_BYTES:
            return Thumbnail(out.getvalue(), "image/jpeg")
        picture.thumbnail((picture.width * 3 // 4, picture.height * 3 // 4))
    return None


def _fetch_page(url: str) -> tuple[str, str]:
    started = time.monotonic()
    timeout = httpx.Timeout(PAGE_DEADLINE_SECONDS, connect=5.0)
    accept = "text/html, application/xhtml+xml"
    with guarded_get(url, accept=accept, user_agent="Chorus link preview", timeout=timeout) as (
        final_url,
        answer,
    ):
        if answer.status_code != 200 or "html" not in answer.headers.get(
            "content-type", "text/html"
        ):
            raise ValueError("not an HTML page")
        body = bytearray()
        for chunk in answer.iter_bytes():
            body.extend(chunk)
            # A page's head comes first; the rest is not needed for a card.
            if len(body) >= PAGE_MAX_BYTES:
                break
            if time.monotonic() - started > PAGE_DEADLINE_SECONDS:
                raise ValueError("page too slow")
        encoding = answer.encoding or "utf-8"
        return final_url, bytes(body[:PAGE_MAX_BYTES]).decode(encoding, errors="replace")


class _PageMeta(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, str] = {}
        self.title = ""
        self._in_title = False

    def first(self, *names: str) -> str:
        return next((self.meta[n] for n in names if self.meta.get(n)), "")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title" and not self.title:
            self._in_title = True
        elif tag == "meta":
            values = {k.lower(): (v or "") for k, v in attrs}
            name = (values.get("property") or values.get("name") or "").strip().lower()
            if name and name not in self.meta:
                self.meta[name] = values.get("content", "").strip()

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
