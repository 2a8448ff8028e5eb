"""A connector's capabilities say what it does: the engine, the inbox and the composer
decide by them whether to call a method, so a flag without its method fails at run time
and a method without its flag is never used."""

from __future__ import annotations

import importlib

import pytest

from chorus.connectors.bluesky.connector import BlueskyConnector
from chorus.connectors.contract import Capability, Connector
from chorus.connectors.listening import PollingSource, StreamingSource
from chorus.connectors.mastodon.connector import MastodonConnector
from chorus.connectors.webhook.connector import WebhookConnector

CONNECTORS = [BlueskyConnector, MastodonConnector, WebhookConnector]
# The contract's optional methods and the capability that declares each.
METHODS = {
    Capability.DELETE: "delete",
    Capability.LOOKUP: "find",
    Capability.METRICS: "post_metrics",
    Capability.PROFILE_METRICS: "profile_metrics",
    Capability.NOTIFICATIONS: "notifications",
    Capability.DIRECT_MESSAGES: "direct_messages",
    Capability.THREAD_READ: "thread",
    Capability.FIRST_COMMENT: "comment",
}
# Listening sources live in chorus.connectors.<network>.listening.
SOURCES: dict[Capability, type] = {
    Capability.LISTENING_STREAM: StreamingSource,
    Capability.LISTENING_SEARCH: PollingSource,
}


def _overrides(connector: type[Connector], method: str) -> bool:
    return getattr(connector, method) is not getattr(Connector, method)


def _sources(connector: type[Connector], base: type) -> list[type]:
    try:
        module = importlib.import_module(f"chorus.connectors.{connector.network}.listening")
    except ModuleNotFoundError:
        return []
    return [
        value
        for value in vars(module).values()
        if isinstance(value, type)
        and issubclass(value, base)
        and value is not base
        and value.__module__ == module.__name__
    ]


@pytest.mark.parametrize("connector", CONNECTORS, ids=lambda c: c.network)
@pytest.mark.parametrize("capability", list(METHODS), ids=str)
def test_a_method_is_implemented_exactly_when_its_capability_is_declared(
    connector: type[Connector], capability: Capability
) -> None:
    method = METHODS[capability]
    declared = capability in connector.capabilities
    implemented = _overrides(connector, method)
    assert declared == implemented, (
        f"{connector.__name__}: {capability} is {'' if declared else 'not '}declared, "
        f"but {method}() is {'' if implemented else 'not '}implemented"
    )


@pytest.mark.parametrize("connector", CONNECTORS, ids=lambda c: c.network)
@pytest.mark.parametrize("capability", list(SOURCES), ids=str)
def test_a_listening_capability_has_its_source(
    connector: type[Connector], capability: Capability
) -> None:
    declared = capability in connector.capabilities
    sources = _sources(connector, SOURCES[capability])
    assert declared == bool(sources), (
        f"{connector.__name__}: {capability} is {'' if declared else 'not '}declared; "
        f"sources found: {[s.__name__ for s in sources]}"
    )


@pytest.mark.parametrize("connector", CONNECTORS, ids=lambda c: c.network)
def test_the_inbox_is_declared_exactly_when_something_feeds_it(
    connector: type[Connector],
) -> None:
    feeds = {Capability.NOTIFICATIONS, Capability.DIRECT_MESSAGES} & connector.capabilities
    assert (Capability.INBOX in connector.capabilities) == bool(feeds)
