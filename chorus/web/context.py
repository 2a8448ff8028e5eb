from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def shell(request: HttpRequest) -> dict[str, Any]:
    """What the base layout needs on every page: the current organisation and workspace."""
    return {
        "current_org": getattr(request, "organisation", None),
        "current_workspace": getattr(request, "workspace", None),
    }
