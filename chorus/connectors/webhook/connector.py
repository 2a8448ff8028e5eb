"""Publishing to a webhook.

Every request carries Standard Webhooks headers (webhook-id, webhook-timestamp,
webhook-signature). The webhook-id is the same on every retry of the same part, so a
receiver that keeps the spec's advice to drop repeated ids never acts twice. When the
account has a status URL, an unknown outcome is settled by asking it whether that id
arrived, before anything is sent again.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import httpx
from standardwebhooks.webhooks import Webhook

from chorus.connectors.contract import Budget, Capability, Connector, Outgoing, Published
from chorus.connectors.credentials import credentials_of
from chorus.connectors.errors import AuthError, NotSupported, Permanent, Retryable
from chorus.connectors.http import budget_reset, response_error, transport_error
from chorus.orgs.models import SocialAccount

TIMEOUT = httpx.Timeout(15.0, connect=5.0)


def message_id(outgoing: Outgoing, index: int | str) -> str:
    return f"{outgoing.idempotency_key}-{index}"


class WebhookConnector(Connector):
    network = "webhook"
    label = "Webhook"
    capabilities = frozenset(
        {
            Capability.TEXT,
            Capability.IMAGES,
            Capability.VIDEO,
            Capability.THREADS,
            Capability.FIRST_COMMENT,
            Capability.LOOKUP,
            Capability.IDEMPOTENT,
        }
    )
    # A receiver is the customer's own system; it can take parallel requests.
    budget = Budget(in_flight_per_account=8, in_flight_per_network=64)

    def __init__(self) -> None:
        self._client = httpx.Client(timeout=TIMEOUT, follow_redirects=False)

    def publish(
        self, account: SocialAccount, outgoing: Outgoing, index: int, reply_to: Published | None
    ) -> Published:
        part = outgoing.parts[index]
        payload = {
            "type": "post.part",
            "post_id": outgoing.post_id,
            "delivery_id": outgoing.delivery_id,
            "part": index,
            "parts": len(outgoing.parts),
            "text": part.text,
            "media": [
                {"mime_type": m.mime_type, "alt_text": m.alt_text, "size_bytes": m.size_bytes}
                for m in part.media
            ],
            "link": outgoing.link if index == 0 else "",
            "reply_to": reply_to.remote_id if reply_to else None,
            "options": dict(outgoing.options),
            "scheduled_for": outgoing.scheduled_for,
            "account": account.handle,
        }
        return self._send(account, message_id(outgoing, index), payload)

    def comment(self, account: SocialAccount, outgoing: Outgoing, on: Published) -> Published:
        payload = {
            "type": "post.first_comment",
            "post_id": outgoing.post_id,
            "delivery_id": outgoing.delivery_id,
            "text": outgoing.first_comment,
            "reply_to": on.remote_id,
            "account": account.handle,
        }
        return self._send(account, message_id(outgoing, "comment"), payload)

    def find(self, account: SocialAccount, outgoing: Outgoing, index: int) -> Published | None:
        status_url = credentials_of(account).get("status_url")
        if not status_url:
            raise NotSupported("This webhook has no status URL to ask")
        wanted = message_id(outgoing, index)
        try:
            response = self._client.get(status_url, params={"webhook_id": wanted})
        except httpx.HTTPError as error:
            raise Retryable(f"Could not ask the status URL: {error}") from error
        if response.status_code == 404:
            return None
        if response.status_code != 200:
            raise response_error(response)
        return _published(response, wanted)

    def check(self, account: SocialAccount) -> None:
        settings = credentials_of(account)
        if not settings.get("url") or not settings.get("secret"):
            raise AuthError("The webhook has no URL or secret")

    def _send(self, account: SocialAccount, webhook_id: str, payload: dict[str, Any]) -> Published:
        settings = credentials_of(account)
        url, secret = settings.get("url"), settings.get("secret")
        if not url or not secret:
            raise AuthError("The webhook has no URL or secret")
        body = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
        now = datetime.now(UTC)
        try:
            signature = Webhook(secret).sign(msg_id=webhook_id, timestamp=now, data=body)
        except ValueError as error:
            raise AuthError(f"The webhook secret is not valid: {error}") from error
        headers = {
            "content-type": "application/json",
            "webhook-id": webhook_id,
            "webhook-timestamp": str(int(now.timestamp())),
            "webhook-signature": signature,
            "user-agent": "Chorus-Webhook/1",
        }
        timeout = settings.get("timeout")
        try:
            response = self._client.post(
                url,
                content=body.encode(),
                headers=headers,
                timeout=float(timeout) if timeout else TIMEOUT,
            )
        except httpx.HTTPError as error:
            raise transport_error(error) from error
        if response.is_success:
            published = _published(response, webhook_id)
            return replace(published, budget_resets_at=budget_reset(response))
        if response.is_redirect:
            raise Permanent(
                f"The webhook answered with a redirect ({response.status_code}); "
                "give the final URL instead",
                code="redirected",
                status=response.status_code,
            )
        raise response_error(response)


def _published(response: httpx.Response, fallback_id: str) -> Published:
    """The receiver may answer with {"id": ..., "url": ...} for its own record."""
    try:
        data = response.json()
    except ValueError:
        data = None
    if isinstance(data, dict):
        remote_id = str(data.get("id") or fallback_id)[:255]
        url = data.get("url")
        return Published(remote_id, url if isinstance(url, str) and len(url) < 2000 else "")
    return Published(fallback_id)
