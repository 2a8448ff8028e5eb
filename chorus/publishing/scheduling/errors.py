"""The one error scheduling raises for bad input: a code, the field, and a sentence.

The sentence is rendered when it is read (``message``), in the language active then, so
an error raised in a worker can still be shown to each person in their own language.
``details`` carries what a form needs to offer a fix (the two instants of an ambiguous
time, the nearest valid times around a gap), as ISO 8601 strings.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from django.utils.functional import Promise


class ScheduleError(Exception):
    def __init__(
        self,
        code: str,
        field: str,
        template: str | Promise,
        params: Mapping[str, Any] | None = None,
        details: Mapping[str, Any] | None = None,
    ) -> None:
        self.code = code
        self.field = field
        self.template = template
        self.params = MappingProxyType(dict(params or {}))
        self.details = MappingProxyType(dict(details or {}))
        super().__init__(code, field)

    def __reduce__(self) -> tuple[Any, ...]:
        args = (self.code, self.field, self.template, dict(self.params), dict(self.details))
        return (self.__class__, args)

    @property
    def message(self) -> str:
        text = str(self.template)
        return text % {k: str(v) for k, v in self.params.items()} if self.params else text

    def __str__(self) -> str:
        return self.message

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "field": self.field,
            "message": self.message,
            **dict(self.details),
        }
