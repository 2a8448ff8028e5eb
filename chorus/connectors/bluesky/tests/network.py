"""The real local AT Protocol network the Bluesky tests run against.

scripts/bluesky-network.sh installs it once (under ~/.cache/chorus) and starts it when it
is not already answering; `make test` starts it before the suite, and the first test that
needs it starts it otherwise. The PLC directory lives in memory, so identities made here
vanish when the network stops: tests make their own accounts every time.
"""

from __future__ import annotations

import secrets
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TypeVar

import httpx
from atproto import Client

PDS = "http://localhost:2583"
APPVIEW = "http://localhost:2584"
SCRIPT = Path(__file__).resolve().parents[4] / "scripts" / "bluesky-network.sh"
T = TypeVar("T")


@cache
def ensure_running() -> None:
    subprocess.run([str(SCRIPT), "start"], check=True, timeout=900)


@dataclass(frozen=True)
class TestAccount:
    did: str
    handle: str
    password: str
    app_password: str


def create_account(prefix: str = "chorus") -> TestAccount:
    """A new account on the local PDS with an app password, as a person would make one."""
    ensure_running()
    handle = f"{prefix}{secrets.token_hex(4)}.test"
    password = secrets.token_urlsafe(12)
    with httpx.Client(base_url=PDS, timeout=30) as client:
        created = client.post(
            "/xrpc/com.atproto.server.createAccount",
            json={"handle": handle, "email": f"{handle}@example.com", "password": password},
        )
        created.raise_for_status()
        body = created.json()
        app = client.post(
            "/xrpc/com.atproto.server.createAppPassword",
            json={"name": "chorus-test"},
            headers={"authorization": f"Bearer {body['accessJwt']}"},
        )
        app.raise_for_status()
    return TestAccount(body["did"], body["handle"], password, app.json()["password"])


def eventually(probe: Callable[[], T | None], *, within: float = 20.0, every: float = 0.2) -> T:
    """Poll until `probe` returns something truthy: the AppView indexes asynchronously."""
    deadline = time.monotonic() + within
    while True:
        try:
            found = probe()
        except Exception:
            found = None
            if time.monotonic() > deadline:
                raise
        if found:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"nothing after {within} s")
        time.sleep(every)


def logged_in(account: TestAccount) -> Client:
    """An SDK client signed in to the local PDS with the account's app password, as a
    person's other app would be: for making things happen that Chorus then reads."""
    client = Client(base_url=f"{PDS}/xrpc")
    client.login(account.handle, account.app_password, fetch_bsky_profile=False)
    # The SDK's record helpers need the profile, which the AppView has only once it has
    # indexed the new account.
    client.me = eventually(lambda: client.get_profile(account.did))
    return client


def revoke_app_password(account: TestAccount, name: str = "chorus-test") -> None:
    """Revoke the account's app password, as its owner would in the Bluesky app."""
    with httpx.Client(base_url=PDS, timeout=30) as client:
        session = client.post(
            "/xrpc/com.atproto.server.createSession",
            json={"identifier": account.handle, "password": account.password},
        )
        session.raise_for_status()
        client.post(
            "/xrpc/com.atproto.server.revokeAppPassword",
            json={"name": name},
            headers={"authorization": f"Bearer {session.json()['accessJwt']}"},
        ).raise_for_status()
