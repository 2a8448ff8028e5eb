import pytest

from chorus.connectors.bluesky.tests import network


@pytest.fixture(scope="session")
def atp_network() -> None:
    network.ensure_running()


@pytest.fixture
def bsky_account(atp_network: None) -> network.TestAccount:
    return network.create_account()


@pytest.fixture
def bsky_other(atp_network: None) -> network.TestAccount:
    return network.create_account("other")
