"""What publishing does when its own signals fire."""

from __future__ import annotations

import logging
from typing import Any

from chorus.publishing.models import Post
from chorus.publishing.scheduling.repeats import next_repeat

logger = logging.getLogger(__name__)


def schedule_next_repeat(sender: Any, post: Post, **kwargs: Any) -> None:
    """A recurring or evergreen post that went out gets its next occurrence."""
    if post.recurrence or post.evergreen:
        next_repeat(post)
