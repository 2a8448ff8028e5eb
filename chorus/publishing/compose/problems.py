"""A problem with what someone composed: where it is, what rule it breaks, in words."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from chorus.publishing.rules import RuleError


@dataclass(frozen=True)
class Problem:
    # Where: "text", "variants.x.text", "variants.x.thread.1", "accounts", "media.0" ...
    field: str
    code: str
    message: str
    network: str = ""
    # Character span (code points) in the field's text, when the problem has one.
    start: int | None = None
    end: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "field": self.field,
            "code": self.code,
            "message": self.message,
            "network": self.network,
            "start": self.start,
            "end": self.end,
        }


def from_rule(error: RuleError, field: str) -> Problem:
    return Problem(
        field=field,
        code=str(error.code),
        message=error.message,
        network=str(error.network),
        start=error.start,
        end=error.end,
    )


class InvalidPost(Exception):
    """Raised with every problem at once, so a form or an API caller can show them all."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems
