"""Networks whose only text rule is a length limit (and Instagram's hashtag count).

Each network documents its limit in "characters" without always saying which unit. Where
it does not, the count here is in UTF-16 code units, the strictest reading any of them
could apply (graphemes <= code points <= UTF-16 units), so a post that passes here is not
refused for its length: an emoji counts 2 (a ZWJ family more), as Buffer's own counter also
does for these networks.

* Threads, post ``text``: 500 characters, "Emojis are counted as the number of UTF-8
  bytes" (Meta, Threads API "Posts", Limitations). Other characters count one per code
  point; each emoji counts its UTF-8 bytes (👍 4, a ZWJ family 25).
* LinkedIn, post ``commentary``: 3,000 characters (LinkedIn Posts API, the limit every
  scheduler applies). UTF-16 units.
* Instagram, ``caption``: 2,200 characters and at most 30 hashtags (Instagram Graph API
  content publishing). UTF-16 units; every ``#tag`` occurrence counts toward the 30.
* Facebook, Page post ``message``: 63,206 characters (Facebook's documented maximum for a
  post). UTF-16 units.
* TikTok, ``post_info.title`` (the caption): 2,200, "in UTF-16 runes" (TikTok Content
  Posting API, Direct Post reference).
* YouTube, ``snippet.title``: 100 characters; ``snippet.description``: 5,000 bytes; both
  "may contain all valid UTF-8 characters except < and >" (YouTube Data API, videos
  resource). Titles count UTF-16 units, descriptions UTF-8 bytes.
* Pinterest, Pin ``description``: 500 characters; ``title``: 100 characters (the limits
  Pinterest shows in its Pin builder and schedulers enforce). UTF-16 units.
"""

from __future__ import annotations

import regex

from chorus.publishing.rules.counting import (
    length_errors,
    threads_costs,
    utf8_costs,
    utf16_costs,
)
from chorus.publishing.rules.networks import Field, Network, Unit
from chorus.publishing.rules.results import CheckResult, ErrorCode, RuleError

THREADS_MAX = 500
LINKEDIN_MAX = 3000
INSTAGRAM_MAX = 2200
INSTAGRAM_MAX_HASHTAGS = 30
FACEBOOK_MAX = 63206
TIKTOK_MAX = 2200
YOUTUBE_TITLE_MAX = 100
YOUTUBE_DESCRIPTION_MAX_BYTES = 5000
PINTEREST_DESCRIPTION_MAX = 500
PINTEREST_TITLE_MAX = 100

_HASHTAG = regex.compile(r"(?<![\w&#\uff03/])[#\uff03]\w+")
_YOUTUBE_FORBIDDEN = "<>"


def _check(
    text: str, network: Network, field: Field, unit: Unit, limit: int
) -> tuple[int, tuple[RuleError, ...]]:
    costs = {
        Unit.UTF16_UNITS: utf16_costs,
        Unit.UTF8_BYTES: utf8_costs,
        Unit.THREADS_CHARACTERS: threads_costs,
    }[unit](text)
    counted, errors = length_errors(
        text, costs, network=network, field=field, unit=unit, limit=limit
    )
    return counted.count, errors


def _simple(text: str, network: Network, field: Field, unit: Unit, limit: int) -> CheckResult:
    count, errors = _check(text, network, field, unit, limit)
    return CheckResult(network, field, count, limit, unit, errors)


def check_threads(text: str) -> CheckResult:
    return _simple(text, Network.THREADS, Field.TEXT, Unit.THREADS_CHARACTERS, THREADS_MAX)


def check_linkedin(text: str) -> CheckResult:
    return _simple(text, Network.LINKEDIN, Field.TEXT, Unit.UTF16_UNITS, LINKEDIN_MAX)


def check_facebook(text: str) -> CheckResult:
    return _simple(text, Network.FACEBOOK, Field.TEXT, Unit.UTF16_UNITS, FACEBOOK_MAX)


def check_tiktok(text: str) -> CheckResult:
    return _simple(text, Network.TIKTOK, Field.TEXT, Unit.UTF16_UNITS, TIKTOK_MAX)


def check_pinterest(text: str) -> CheckResult:
    return _simple(
        text, Network.PINTEREST, Field.DESCRIPTION, Unit.UTF16_UNITS, PINTEREST_DESCRIPTION_MAX
    )


def check_pinterest_title(title: str) -> CheckResult:
    return _simple(title, Network.PINTEREST, Field.TITLE, Unit.UTF16_UNITS, PINTEREST_TITLE_MAX)


def check_instagram(text: str) -> CheckResult:
    count, errors = _check(text, Network.INSTAGRAM, Field.TEXT, Unit.UTF16_UNITS, INSTAGRAM_MAX)
    hashtags = [match.span() for match in _HASHTAG.finditer(text)]
    if len(hashtags) > INSTAGRAM_MAX_HASHTAGS:
        errors += (
            RuleError(
                code=ErrorCode.TOO_MANY_HASHTAGS,
                network=Network.INSTAGRAM,
                field=Field.TEXT,
                start=hashtags[INSTAGRAM_MAX_HASHTAGS][0],
                end=hashtags[-1][1],
                unit=Unit.UTF16_UNITS,
                params={"count": len(hashtags), "limit": INSTAGRAM_MAX_HASHTAGS},
            ),
        )
    return CheckResult(
        Network.INSTAGRAM, Field.TEXT, count, INSTAGRAM_MAX, Unit.UTF16_UNITS, errors
    )


def _forbidden_characters(text: str, field: Field) -> tuple[RuleError, ...]:
    return tuple(
        RuleError(
            code=ErrorCode.INVALID_CHARACTER,
            network=Network.YOUTUBE,
            field=field,
            start=index,
            end=index + 1,
            unit=Unit.UTF16_UNITS if field is Field.TITLE else Unit.UTF8_BYTES,
            params={"character": char},
        )
        for index, char in enumerate(text)
        if char in _YOUTUBE_FORBIDDEN
    )


def check_youtube_title(title: str) -> CheckResult:
    count, errors = _check(title, Network.YOUTUBE, Field.TITLE, Unit.UTF16_UNITS, YOUTUBE_TITLE_MAX)
    errors = _forbidden_characters(title, Field.TITLE) + errors
    return CheckResult(
        Network.YOUTUBE, Field.TITLE, count, YOUTUBE_TITLE_MAX, Unit.UTF16_UNITS, errors
    )


def check_youtube_description(description: str) -> CheckResult:
    limit = YOUTUBE_DESCRIPTION_MAX_BYTES
    count, errors = _check(description, Network.YOUTUBE, Field.DESCRIPTION, Unit.UTF8_BYTES, limit)
    errors = _forbidden_characters(description, Field.DESCRIPTION) + errors
    return CheckResult(Network.YOUTUBE, Field.DESCRIPTION, count, limit, Unit.UTF8_BYTES, errors)
