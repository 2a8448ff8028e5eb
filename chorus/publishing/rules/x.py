"""X (Twitter): 280 weighted characters, counted by twitter-text's rules (``x_weighting``).

The default is configuration v3, which X uses today: emoji count 2 however they are built.
An account with a longer limit passes ``dataclasses.replace(CONFIG_V3,
max_weighted_length=...)``.
An empty text is not an error here, although twitter-text calls it invalid: a post may
carry only media, and whether it needs text is the publishing engine's decision.
"""

from __future__ import annotations

from chorus.publishing.rules.counting import Tally, overflow_error
from chorus.publishing.rules.networks import Field, Network, Unit
from chorus.publishing.rules.results import CheckResult, ErrorCode, RuleError
from chorus.publishing.rules.x_weighting import CONFIG_V3, WeightingConfig, parse_weighted


def check_x(text: str, *, config: WeightingConfig = CONFIG_V3) -> CheckResult:
    parsed = parse_weighted(text, config)
    limit = config.max_weighted_length
    errors: list[RuleError] = [
        RuleError(
            code=ErrorCode.INVALID_CHARACTER,
            network=Network.X,
            field=Field.TEXT,
            start=position,
            end=position + 1,
            unit=Unit.WEIGHTED,
            params={"character": f"U+{ord(text[position]):04X}"},
        )
        for position in parsed.invalid_positions
    ]
    if parsed.weighted_length > limit:
        errors.append(
            overflow_error(
                code=ErrorCode.TOO_LONG,
                network=Network.X,
                field=Field.TEXT,
                unit=Unit.WEIGHTED,
                counted=Tally(parsed.weighted_length, parsed.overflow_start),
                limit=limit,
                text_length=len(text),
            )
        )
    return CheckResult(
        network=Network.X,
        field=Field.TEXT,
        count=parsed.weighted_length,
        limit=limit,
        unit=Unit.WEIGHTED,
        errors=tuple(errors),
    )
