"""What connectors keep between runs, apart from an account's own credentials."""

from __future__ import annotations

from django.db import models

# Each network package keeps its own models; the app finds them through this module.
from chorus.connectors.mastodon.models import MastodonApp, MastodonAuthorization

__all__ = ["MastodonApp", "MastodonAuthorization", "StreamCursor"]


class StreamCursor(models.Model):
    """Where a listening source stopped reading (a firehose sequence number, a timeline's
    newest id), so that after a restart it resumes instead of starting over or missing
    posts."""

    source = models.CharField(max_length=500, unique=True)
    cursor = models.CharField(max_length=500)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.source} @ {self.cursor}"
