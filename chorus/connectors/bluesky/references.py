"""Names Bluesky gives things, shared by the connector and the composer's checks (which
must accept exactly what the connector can publish)."""

from __future__ import annotations

import re

# Who may reply (reply_control option) → the threadgate rule type.
REPLY_RULES = {
    "mentioned": "app.bsky.feed.threadgate#mentionRule",
    "following": "app.bsky.feed.threadgate#followingRule",
    "followers": "app.bsky.feed.threadgate#followerRule",
}
POST_URL = re.compile(
    r"^https://(?:www\.)?bsky\.app/profile/(?P<actor>[^/]+)/post/(?P<rkey>[^/?#]+)"
)
AT_URI = re.compile(r"^at://(?P<actor>[^/]+)/app\.bsky\.feed\.post/(?P<rkey>[^/?#]+)$")


def post_reference(target: str) -> re.Match[str] | None:
    """The actor and record key of a post named by its bsky.app address or at:// URI."""
    return AT_URI.match(target) or POST_URL.match(target)
