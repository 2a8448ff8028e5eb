from __future__ import annotations

import pytest

from chorus.connectors.bluesky.linkcard import read_card, thumbnail
from chorus.media.tests.files import image_bytes, noisy_jpeg
from chorus.publishing.bulk.tests.helpers import file_server

HTML = {"Content-Type": "text/html; charset=utf-8"}
PAGE = b"""<!doctype html><html><head>
<title>Fallback title</title>
<meta property="og:title" content="Chorus &amp; friends">
<meta name="description" content="  Scheduling for   everyone ">
<meta property="og:image" content="/cover.png">
</head><body>...</body></html>"""


@pytest.fixture
def private_fetching(settings):  # type: ignore[no-untyped-def]
    # The pages are served on 127.0.0.1, which production refuses to fetch.
    settings.CHORUS_MEDIA_FETCH_PRIVATE = True


def test_the_card_comes_from_open_graph_tags(private_fetching) -> None:
    routes = {"/post": (200, PAGE, HTML)}
    with file_server(routes) as base:
        card = read_card(f"{base}/post")
    assert card.uri == f"{base}/post"
    assert card.title == "Chorus & friends"
    assert card.description == "Scheduling for everyone"
    assert card.image_url == f"{base}/cover.png"


def test_redirects_are_followed_and_title_falls_back_to_the_title_tag(private_fetching) -> None:
    page = b"<html><head><title> Just a\n title </title></head></html>"
    with file_server({"/old": (301, b"", {"Location": "/new"}), "/new": (200, page, HTML)}) as base:
        card = read_card(f"{base}/old")
    assert (card.uri, card.title, card.description) == (f"{base}/old", "Just a title", "")


def test_a_page_that_cannot_be_read_still_gives_a_card_with_its_address(private_fetching) -> None:
    with file_server({}) as base:
        card = read_card(f"{base}/gone")
    assert (card.title, card.description, card.image_url) == (f"{base}/gone", "", "")


def test_private_addresses_are_not_fetched_by_default(settings) -> None:
    settings.CHORUS_MEDIA_FETCH_PRIVATE = False
    with file_server({"/post": (200, PAGE, HTML)}) as base:
        card = read_card(f"{base}/post")
    assert card.title == f"{base}/post"


def test_only_http_pages_are_read() -> None:
    assert read_card("file:///etc/passwd").title == "file:///etc/passwd"


def test_a_large_thumbnail_is_shrunk_under_the_blob_limit(private_fetching) -> None:
    heavy = noisy_jpeg((1400, 1000))
    assert len(heavy) > 1_000_000
    jpeg = {"Content-Type": "image/jpeg"}
    with file_server({"/big.jpg": (200, heavy, jpeg)}) as base:
        thumb = thumbnail(f"{base}/big.jpg")
    assert thumb is not None
    assert thumb.mime_type == "image/jpeg" and len(thumb.data) <= 1_000_000


def test_a_small_thumbnail_is_kept_as_it_is(private_fetching) -> None:
    png = image_bytes("PNG", (40, 20))
    with file_server({"/a.png": (200, png, {"Content-Type": "image/png"})}) as base:
        thumb = thumbnail(f"{base}/a.png")
    assert thumb is not None and (thumb.data, thumb.mime_type) == (png, "image/png")
