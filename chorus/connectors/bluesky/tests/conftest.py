import socket
import threading
from collections.abc import Iterator

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


@pytest.fixture
def silent_server() -> Iterator[str]:
    """Accepts connections and reads requests, and never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    stop.set()
    thread.join()
    for conn in held:
        conn.close()
    listener.close()
