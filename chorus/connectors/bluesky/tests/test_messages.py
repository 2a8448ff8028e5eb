"""Direct messages, through the real local PDS to a chat service answering from fixtures.

The open-source AT Protocol servers have no chat service, so a small HTTP server here
plays Bluesky's, answering with the fixtures in data/chat/ (written from the API
reference). It is published as did:web:localhost%3A<port>, a DID the local PDS resolves
to it: everything else is real. The PDS checks the app password's access to direct
messages, signs each request for the chat service and proxies it there, exactly as it
does for did:web:api.bsky.chat in production.
"""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from atproto import Client
from django.core.management import call_command

from chorus.connectors.bluesky import messages
from chorus.connectors.bluesky.connector import BlueskyConnector
from chorus.connectors.bluesky.setup import connect_bluesky
from chorus.connectors.bluesky.tests import network
from chorus.connectors.errors import Permanent, Retryable
from chorus.orgs.models import SocialAccount

DATA = Path(__file__).parent / "data" / "chat"
# The fixtures' stand-in for the signed-in account's DID.
ME = "did:plc:chorusaccount"


@dataclass
class Seen:
    path: str
    query: dict[str, str]
    headers: dict[str, str]


@dataclass
class ChatService:
    """Bluesky's chat service, as far as the fixtures go; remembers every request."""

    me: str
    seen: list[Seen] = field(default_factory=list)
    port: int = 0
    # When set, XRPC calls get this status, as from a service having a bad moment.
    failing: int | None = None

    @property
    def did(self) -> str:
        return f"did:web:localhost%3A{self.port}"

    @property
    def url(self) -> str:
        return f"http://localhost:{self.port}"

    def calls(self, nsid: str) -> list[Seen]:
        return [s for s in self.seen if s.path == f"/xrpc/{nsid}"]

    def answer(self, path: str, query: dict[str, str]) -> tuple[int, Any]:
        if path == "/.well-known/did.json":
            return 200, {
                "@context": ["https://www.w3.org/ns/did/v1"],
                "id": self.did,
                "service": [
                    {"id": "#bsky_chat", "type": "BskyChatService", "serviceEndpoint": self.url}
                ],
            }
        if self.failing is not None:
            return self.failing, {"error": "InternalServerError", "message": "Try again later"}
        if path == "/xrpc/chat.bsky.convo.listConvos":
            pages = {"": "listConvos-1", "convos-after-3": "listConvos-2"}
            name = pages.get(query.get("cursor", ""))
        elif path == "/xrpc/chat.bsky.convo.getMessages":
            name = f"getMessages-{query.get('convoId', '')}"
        else:
            return 501, {"error": "MethodNotImplemented", "message": path}
        if name is None or not (DATA / f"{name}.json").exists():
            return 400, {"error": "InvalidRequest", "message": "Convo not found"}
        text = (DATA / f"{name}.json").read_text(encoding="utf-8").replace(ME, self.me)
        return 200, json.loads(text)["body"]


@pytest.fixture
def chat_service(bsky_account: network.TestAccount) -> Iterator[ChatService]:
    service = ChatService(me=bsky_account.did)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            query = {k: v[0] for k, v in parse_qs(parts.query).items()}
            service.seen.append(
                Seen(parts.path, query, {k.lower(): v for k, v in self.headers.items()})
            )
            status, body = service.answer(parts.path, query)
            encoded = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(encoded)))
            self.end_headers()
            self.wfile.write(encoded)

        def log_message(self, format: str, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    service.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield service
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def dm_app_password(account: network.TestAccount) -> str:
    """An app password with "allow access to direct messages", as its owner makes one."""
    with httpx.Client(base_url=network.PDS, timeout=30) as client:
        session = client.post(
            "/xrpc/com.atproto.server.createSession",
            json={"identifier": account.handle, "password": account.password},
        )
        session.raise_for_status()
        created = client.post(
            "/xrpc/com.atproto.server.createAppPassword",
            json={"name": "chorus-dm", "privileged": True},
            headers={"authorization": f"Bearer {session.json()['accessJwt']}"},
        )
        created.raise_for_status()
    return str(created.json()["password"])


def connected(tenants: Any, account: network.TestAccount, app_password: str) -> SocialAccount:
    return connect_bluesky(
        tenants.users["manager"],
        tenants.workspace,
        identifier=account.handle,
        app_password=app_password,
        service_url=network.PDS,
    )


def jwt_claims(authorization: str) -> dict[str, Any]:
    payload = authorization.removeprefix("Bearer ").split(".")[1]
    return dict(json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))))


def connector_for_chat(service: ChatService) -> BlueskyConnector:
    connector = BlueskyConnector()
    connector.chat_service = service.did
    return connector


@pytest.mark.django_db
def test_it_reads_conversations_page_by_page(tenants, bsky_account, chat_service) -> None:
    account = connected(tenants, bsky_account, dm_app_password(bsky_account))
    connector = connector_for_chat(chat_service)

    first = connector.direct_messages(account)

    assert first.cursor == "convos-after-3"
    assert [(m.conversation_id, m.remote_id) for m in first.items] == [
        ("convo-alice", "3lb2msgalice3"),
        ("convo-alice", "3lb2msgalice1"),
        ("convo-bob", "3lb2msgbob001"),
    ]
    mine, alices, bobs = first.items
    assert mine.kind == "direct_message" and mine.network == "bluesky"
    assert mine.raw["from_me"] is True and mine.author.remote_id == bsky_account.did
    assert mine.raw["reply_to"] == "3lb2msgalice1"
    assert mine.text == "Thanks, that helps!"
    assert (
        mine.created_at is not None and mine.created_at.isoformat() == "2026-11-20T10:05:00+00:00"
    )
    assert mine.url == "https://bsky.app/messages/convo-alice"
    assert alices.raw["from_me"] is False
    assert alices.text == "Is this your post? 🙂"
    assert alices.author.handle == "alice.test" and alices.author.display_name == "Alice"
    assert alices.author.avatar_url.endswith("bafkreialice@jpeg")
    assert alices.raw["embed_uri"] == f"at://{bsky_account.did}/app.bsky.feed.post/3lb2post00001"
    assert alices.raw["members"] == [bsky_account.did, "did:plc:alicefixture"]
    # A message request from someone whose handle no longer resolves.
    assert bobs.author.remote_id == "did:plc:bobfixture" and bobs.author.handle == ""
    assert bobs.raw["convo_status"] == "request" and bobs.raw["muted"] is True
    json.dumps([dict(m.raw) for m in first.items])  # stored as JSON by the inbox
    # A conversation without messages costs no request.
    assert [c.query["convoId"] for c in chat_service.calls("chat.bsky.convo.getMessages")] == [
        "convo-alice",
        "convo-bob",
    ]

    second = connector.direct_messages(account, first.cursor)

    assert second.cursor == ""
    # The group message's author is not among the listed members, but in relatedProfiles;
    # the system notice (a member left) is not a message.
    (dans,) = second.items
    assert dans.author.handle == "dan.test" and dans.author.display_name == "Dan"
    assert dans.conversation_id == "convo-group" and dans.raw["from_me"] is False
    listings = chat_service.calls("chat.bsky.convo.listConvos")
    assert [c.query.get("cursor") for c in listings] == [None, "convos-after-3"]
    assert all(c.query["limit"] == str(messages.CONVOS_PER_PAGE) for c in listings)


@pytest.mark.django_db
def test_the_pds_signs_each_request_for_the_chat_service(
    tenants, bsky_account, chat_service
) -> None:
    account = connected(tenants, bsky_account, dm_app_password(bsky_account))
    connector_for_chat(chat_service).direct_messages(account)
    (listing,) = chat_service.calls("chat.bsky.convo.listConvos")
    claims = jwt_claims(listing.headers["authorization"])
    assert claims["iss"] == bsky_account.did
    assert claims["aud"] == chat_service.did
    assert claims["lxm"] == "chat.bsky.convo.listConvos"


@pytest.mark.django_db
def test_an_app_password_without_dm_access_says_how_to_get_one(
    tenants, bsky_account, chat_service
) -> None:
    # The fixtures' app password is an ordinary one: the PDS itself refuses.
    account = connected(tenants, bsky_account, bsky_account.app_password)
    with pytest.raises(Permanent) as refused:
        connector_for_chat(chat_service).direct_messages(account)
    assert refused.value.code == "dm_not_allowed"
    assert "allow access to your direct messages" in refused.value.message.lower()
    assert chat_service.calls("chat.bsky.convo.listConvos") == []
    # Publishing and everything else still work with it: the account stays connected.
    BlueskyConnector().check(account)
    account.refresh_from_db()
    assert account.status == SocialAccount.Status.ACTIVE


@pytest.mark.django_db
def test_a_chat_service_outage_is_worth_retrying(tenants, bsky_account, chat_service) -> None:
    account = connected(tenants, bsky_account, dm_app_password(bsky_account))
    chat_service.failing = 503
    with pytest.raises(Retryable) as failed:
        connector_for_chat(chat_service).direct_messages(account)
    assert failed.value.status == 503
    assert "Try again later" in failed.value.message


def test_it_names_bluesky_chat_in_the_proxy_header(bsky_account, chat_service) -> None:
    # The production chat service is out of reach, so the signed-in client is pointed
    # straight at the stand-in, which then sees the header the PDS would.
    client = Client(base_url=f"{network.PDS}/xrpc")
    client.login(bsky_account.handle, bsky_account.app_password, fetch_bsky_profile=False)
    client.update_base_url(f"{chat_service.url}/xrpc")
    page = messages.direct_messages(client)
    assert page.cursor == "convos-after-3"
    for seen in chat_service.seen:
        assert seen.headers["atproto-proxy"] == "did:web:api.bsky.chat#bsky_chat"
        assert seen.headers["authorization"].startswith("Bearer ")


def test_the_connector_lists_direct_messages_among_its_capabilities() -> None:
    out = StringIO()
    call_command("connectors", "list", stdout=out)
    (bluesky,) = [line for line in out.getvalue().splitlines() if line.startswith("bluesky:")]
    assert "direct_messages" in bluesky
