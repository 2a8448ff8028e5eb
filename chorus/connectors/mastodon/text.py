"""The text of a status as Chorus sends it, shared by the connector and the composer's
length check so that both count the same characters."""

from __future__ import annotations

from chorus.connectors.contract import Outgoing


def with_link(text: str, link: str) -> str:
    """The text with the post's link appended when the text does not already hold it:
    Mastodon makes the link card from a URL in the text."""
    if not link or link in text:
        return text
    return f"{text}\n\n{link}" if text else link


def part_text(outgoing: Outgoing, index: int) -> str:
    text = outgoing.parts[index].text
    return with_link(text, outgoing.link) if index == 0 else text
