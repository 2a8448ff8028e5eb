"""Where listening reads public posts from: the shape every network's sources share.

A polling source (a search, a hashtag timeline) is asked for pages; a streaming source (a
firehose, a streaming API) pushes posts as they happen. Both hand over RemotePost items of
kind "post", and a streaming source saves its position in a StreamCursor as it goes, so a
restarted worker resumes where the last one stopped.
"""

from __future__ import annotations

import abc
import threading
from collections.abc import Callable

from chorus.connectors.contract import Page, RemotePost
from chorus.connectors.models import StreamCursor


class PollingSource(abc.ABC):
    network: str

    @abc.abstractmethod
    def fetch(self, cursor: str = "") -> Page:
        """Newest first; pass the page's cursor back for the next (older) page."""


class StreamingSource(abc.ABC):
    network: str
    # The StreamCursor row this source resumes from, unique per source.
    key: str

    @abc.abstractmethod
    def run(self, on_item: Callable[[RemotePost], None], stop: threading.Event) -> None:
        """Read until `stop` is set, starting after the saved cursor."""

    def saved_cursor(self) -> str:
        row = StreamCursor.objects.filter(source=self.key).first()
        return row.cursor if row else ""

    def save_cursor(self, cursor: str) -> None:
        StreamCursor.objects.update_or_create(source=self.key, defaults={"cursor": cursor})
