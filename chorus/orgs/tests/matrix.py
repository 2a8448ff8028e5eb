"""The permission matrix: one Case per endpoint, walked for every role by
test_permission_matrix.py. Each app keeps its rows in its own
`tests/matrix_cases.py` (a `CASES` list), found by `all_cases()`.

A case builds its URL (and body) for a target in the caller's own organisation
(`own=True`) or in the other organisation (`own=False`). The test expects:
- anonymous: web → redirect to login, API → 401;
- a role the policy allows for `action`: a status in `ok`;
- a role it does not allow: 403;
- any role, other organisation's target: 404, no trace of the other tenant in the body,
  and no row changed anywhere.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.apps import apps

SUCCESS = frozenset({200, 201, 204, 302})


@dataclass(frozen=True)
class Case:
    endpoint: str  # "web:<url name>" or "<METHOD> <API path template>"
    action: str
    url: Callable[[Any, bool], str]
    method: str = "GET"
    data: Callable[[Any, bool], dict[str, Any]] | None = None
    ok: frozenset[int] = field(default=SUCCESS)
    # Self-service endpoints (profile, tokens) have no cross-tenant target.
    cross_tenant: bool = True

    @property
    def is_api(self) -> bool:
        return not self.endpoint.startswith("web:")


def app_test_modules(name: str) -> list[Any]:
    """Every `tests/<name>.py` inside Chorus' apps (at any depth), imported."""
    modules = []
    for config in apps.get_app_configs():
        if not config.name.startswith("chorus."):
            continue
        root = Path(config.path)
        for path in sorted(root.rglob(f"tests/{name}.py")):
            dotted = ".".join(path.relative_to(root).with_suffix("").parts)
            modules.append(importlib.import_module(f"{config.name}.{dotted}"))
    return modules


def all_cases() -> list[Case]:
    return [case for module in app_test_modules("matrix_cases") for case in module.CASES]
