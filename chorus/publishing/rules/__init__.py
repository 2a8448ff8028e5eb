"""Each network's text rules, as pure functions: counting, facets and thread splitting.

Every ``check_*`` returns a ``CheckResult`` (count, limit, unit, structured errors), and
``split_thread`` cuts long text into parts that each pass their network's check. Nothing
here touches the database, the network or the clock.
"""

from chorus.publishing.rules.bluesky import check_bluesky
from chorus.publishing.rules.bluesky_facets import Facet, FacetKind, detect_facets
from chorus.publishing.rules.caption_limits import (
    check_facebook,
    check_instagram,
    check_linkedin,
    check_pinterest,
    check_pinterest_title,
    check_threads,
    check_tiktok,
    check_youtube_description,
    check_youtube_title,
)
from chorus.publishing.rules.mastodon import check_mastodon
from chorus.publishing.rules.networks import Field, Network, Unit
from chorus.publishing.rules.results import CheckResult, ErrorCode, RuleError
from chorus.publishing.rules.splitting import (
    THREADED_NETWORKS,
    ThreadPart,
    UnsplittableTextError,
    split_thread,
)
from chorus.publishing.rules.x import check_x
from chorus.publishing.rules.x_weighting import CONFIG_V1, CONFIG_V2, CONFIG_V3, parse_weighted

__all__ = [
    "CONFIG_V1",
    "CONFIG_V2",
    "CONFIG_V3",
    "THREADED_NETWORKS",
    "CheckResult",
    "ErrorCode",
    "Facet",
    "FacetKind",
    "Field",
    "Network",
    "RuleError",
    "ThreadPart",
    "Unit",
    "UnsplittableTextError",
    "check_bluesky",
    "check_facebook",
    "check_instagram",
    "check_linkedin",
    "check_mastodon",
    "check_pinterest",
    "check_pinterest_title",
    "check_threads",
    "check_tiktok",
    "check_x",
    "check_youtube_description",
    "check_youtube_title",
    "detect_facets",
    "parse_weighted",
    "split_thread",
]
