"""Which connector serves which network. Connectors are named in settings.CHORUS_CONNECTORS."""

from __future__ import annotations

from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string

from chorus.connectors.contract import Connector


@cache
def _connectors() -> dict[str, Connector]:
    found: dict[str, Connector] = {}
    for path in settings.CHORUS_CONNECTORS:
        connector = import_string(path)()
        found[connector.network] = connector
    return found


def connector_for(network: str) -> Connector:
    try:
        return _connectors()[network]
    except KeyError:
        raise LookupError(f"No connector for network {network!r}") from None


def networks() -> list[str]:
    return sorted(_connectors())
