from __future__ import annotations

import pytest

from chorus.connectors.bluesky.richtext import facets_for
from chorus.connectors.bluesky.session import client_for


@pytest.mark.django_db
def test_mentions_resolve_to_dids_and_unknown_handles_stay_text(bsky_connected, bsky_other) -> None:
    client = client_for(bsky_connected)
    text = f"@{bsky_other.handle} and @ghost-handle.test and again @{bsky_other.handle} $aapl"
    facets = facets_for(client, text)
    kinds = [f["features"][0]["$type"].rsplit("#", 1)[1] for f in facets]
    assert kinds == ["mention", "mention", "tag"]
    assert {f["features"][0].get("did") for f in facets[:2]} == {bsky_other.did}
    assert facets[2]["features"][0]["tag"] == "$AAPL"
    last = facets[1]["index"]
    assert text.encode()[last["byteStart"] : last["byteEnd"]] == f"@{bsky_other.handle}".encode()


@pytest.mark.django_db
def test_plain_text_has_no_facets(bsky_connected) -> None:
    assert facets_for(client_for(bsky_connected), "Nothing to see (here).") == []
