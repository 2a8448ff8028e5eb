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


@pytest.fixture
def bsky_connected(tenants, bsky_account: network.TestAccount):  # type: ignore[no-untyped-def]
    """`bsky_account` connected to tenants.workspace through Chorus' own connect flow."""
    from chorus.connectors.bluesky.setup import connect_bluesky

    return connect_bluesky(
        tenants.users["manager"],
        tenants.workspace,
        identifier=bsky_account.handle,
        app_password=bsky_account.app_password,
        service_url=network.PDS,
    )
