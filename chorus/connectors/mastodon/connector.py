"""Publishing to and reading from Mastodon (and compatible servers) with Mastodon.py."""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, cast

from django.core.exceptions import ValidationError
from mastodon import Mastodon, MastodonNotFoundError

from chorus.connectors.contract import (
    Budget,
    Capability,
    Connector,
    Media,
    Outgoing,
    Page,
    PostMetrics,
    ProfileMetrics,
    Published,
    RemotePost,
)
from chorus.connectors.credentials import credentials_of
from chorus.connectors.errors import Permanent, Retryable
from chorus.connectors.mastodon import convert
from chorus.connectors.mastodon.client import api, client_for, is_loopback
from chorus.connectors.mastodon.errors import mapped
from chorus.connectors.mastodon.instance import (
    VISIBILITIES,
    instance_stale,
    poll_limits,
    read_instance,
)
from chorus.connectors.mastodon.lookup import find_part
from chorus.connectors.mastodon.models import MastodonApp
from chorus.connectors.mastodon.text import part_text
from chorus.orgs.models import SocialAccount

logger = logging.getLogger(__name__)
PAGE_SIZE = 40


class MastodonConnector(Connector):
    network = "mastodon"
    label = "Mastodon"
    capabilities = frozenset(
        {
            Capability.TEXT,
            Capability.IMAGES,
            Capability.VIDEO,
            Capability.THREADS,
            Capability.FIRST_COMMENT,
            Capability.DELETE,
            Capability.IDEMPOTENT,
            # Reads the account's own recent statuses: settles a doubtful attempt even
            # after the idempotency key is forgotten.
            Capability.LOOKUP,
            Capability.POLLS,
            Capability.CONTENT_WARNINGS,
            Capability.VISIBILITY,
            Capability.LANGUAGES,
            Capability.ALT_TEXT,
            Capability.METRICS,
            Capability.PROFILE_METRICS,
            Capability.NOTIFICATIONS,
            Capability.INBOX,
            Capability.DIRECT_MESSAGES,
            Capability.THREAD_READ,
            Capability.LISTENING_STREAM,
            # Mastodon's search is by hashtag: the hashtag (and public) timelines in
            # listening.py, polled.
            Capability.LISTENING_SEARCH,
        }
    )
    # Mastodon's default budget is 300 requests per 5 minutes per account.
    budget = Budget(in_flight_per_account=1, in_flight_per_network=16)
    # Mastodon keeps an Idempotency-Key in Redis for 3600 seconds after the status is
    # made (PostStatusService: redis.setex(idempotency_key, 3_600, ...)); later, the
    # same key posts again.
    idempotency_window = 3600.0
    # Video is transcoded after upload; how long to wait for it, and how often to ask.
    media_deadline_seconds = 300.0
    media_poll_seconds = 2.0

    # Publishing -----------------------------------------------------------------------

    def publish(
        self,
        account: SocialAccount,
        outgoing: Outgoing,
        index: int,
        reply_to: Published | None,
    ) -> Published:
        client = client_for(account)
        part = outgoing.parts[index]
        options = outgoing.options
        text = part_text(outgoing, index)
        poll = _poll(options, _instance(account)) if index == 0 else None
        if poll is not None and part.media:
            raise Permanent("A Mastodon post cannot have both a poll and media.", code="poll_media")
        media_ids = [self._upload(client, media) for media in part.media]
        with mapped(client, sending=True):
            status = client.status_post(
                text,
                in_reply_to_id=reply_to.remote_id if reply_to else None,
                media_ids=media_ids or None,
                poll=client.make_poll(**poll) if poll else None,
                idempotency_key=f"{outgoing.idempotency_key}-{index}",
                **_status_options(options),
            )
        return _published(client, status)

    def comment(self, account: SocialAccount, outgoing: Outgoing, on: Published) -> Published:
        client = client_for(account)
        with mapped(client, sending=True):
            status = client.status_post(
                outgoing.first_comment,
                in_reply_to_id=on.remote_id,
                idempotency_key=f"{outgoing.idempotency_key}-comment",
                **_status_options(outgoing.options, comment=True),
            )
        return _published(client, status)

    def find(self, account: SocialAccount, outgoing: Outgoing, index: int) -> Published | None:
        client = client_for(account)
        own_id = account.remote_id.split("@", 1)[0]
        if not own_id:
            # An account not connected through Chorus (the self-test's) has no remote id.
            with mapped(client):
                own_id = str(client.account_verify_credentials()["id"])
        status = find_part(client, own_id, outgoing, index)
        return _published(client, status) if status is not None else None

    def _upload(self, client: Mastodon, media: Media) -> str:
        label = media.name or media.mime_type
        try:
            with mapped(client), media.open() as handle:
                attachment = client.media_post(
                    handle,
                    mime_type=media.mime_type,
                    description=media.alt_text or None,
                    focus=media.focus,
                    file_name=media.name or None,
                )
        except Permanent as error:
            raise Permanent(
                f"{label}: {error.message}", code="media_rejected", status=error.status
            ) from error
        # Images are ready at once; video (and large images) are processed after the
        # upload answers 202, and a status may only use them once they have a URL.
        deadline = time.monotonic() + self.media_deadline_seconds
        while not attachment.get("url"):
            if time.monotonic() > deadline:
                raise Retryable(f"{label}: the instance is still processing the upload.")
            time.sleep(self.media_poll_seconds)
            with mapped(client):
                attachment = client.media(attachment["id"])
        return str(attachment["id"])

    def delete(self, account: SocialAccount, remote_id: str) -> None:
        client = client_for(account)
        with mapped(client):
            try:
                client.status_delete(remote_id)
            except MastodonNotFoundError:
                return  # already gone: what deleting wanted

    def check(self, account: SocialAccount) -> None:
        client = client_for(account)
        with mapped(client):
            client.account_verify_credentials()
        self._refresh_instance(account)

    def _refresh_instance(self, account: SocialAccount) -> None:
        """Read the instance's limits again once they are a day old, so a changed limit
        reaches the composer's checks."""
        credentials = credentials_of(account)
        if account.pk is None or not instance_stale(credentials.get("instance")):
            return  # an account not saved (the self-test's) keeps nothing
        try:
            instance = read_instance(str(credentials["instance_url"]))
        except ValidationError as error:
            # The account works; old limits are better than none. Tried again next check.
            logger.info("Mastodon instance of account %s not re-read: %s", account.pk, error)
            return
        account.credentials = cast(Any, {**credentials, "instance": instance})
        account.save(update_fields=["credentials"])

    def disconnect(self, account: SocialAccount) -> None:
        credentials = credentials_of(account)
        app_id, token = credentials.get("app_id"), credentials.get("access_token")
        app = MastodonApp.objects.filter(pk=app_id).first() if app_id else None
        if app is None or not token:
            return  # nothing Chorus could revoke with
        client = api(
            app.instance_url,
            access_token=token,
            client_id=app.client_id,
            client_secret=app.client_secret,
        )
        with mapped(client):
            client.revoke_access_token(allow_http=is_loopback(app.instance_url))

    # Reading --------------------------------------------------------------------------

    def post_metrics(
        self, account: SocialAccount, remote_ids: Sequence[str]
    ) -> dict[str, PostMetrics]:
        client = client_for(account)
        found: dict[str, PostMetrics] = {}
        for remote_id in remote_ids:
            with mapped(client):
                try:
                    status = client.status(remote_id)
                except MastodonNotFoundError:
                    continue  # deleted on the instance: no counts to report
            found[remote_id] = PostMetrics(
                remote_id=remote_id,
                likes=int(status.get("favourites_count") or 0),
                reposts=int(status.get("reblogs_count") or 0),
                replies=int(status.get("replies_count") or 0),
                quotes=int(status.get("quotes_count") or 0),
            )
        return found

    def profile_metrics(self, account: SocialAccount) -> ProfileMetrics:
        client = client_for(account)
        with mapped(client):
            me = client.account_verify_credentials()
        return ProfileMetrics(
            followers=int(me.get("followers_count") or 0),
            following=int(me.get("following_count") or 0),
            posts=int(me.get("statuses_count") or 0),
        )

    def notifications(self, account: SocialAccount, cursor: str = "") -> Page:
        client = client_for(account)
        with mapped(client):
            page = client.notifications(
                types=list(convert.NOTIFICATION_KINDS),
                max_id=cursor or None,
                limit=PAGE_SIZE,
            )
        host = _host(account)
        items = [item for n in page if (item := convert.notification(n, host)) is not None]
        return Page(items=items, cursor=convert.next_max_id(page))

    def direct_messages(self, account: SocialAccount, cursor: str = "") -> Page:
        client = client_for(account)
        with mapped(client):
            page = client.conversations(max_id=cursor or None, limit=PAGE_SIZE)
        host = _host(account)
        items = [item for c in page if (item := convert.conversation(c, host)) is not None]
        return Page(items=items, cursor=convert.next_max_id(page))

    def thread(self, account: SocialAccount, remote_id: str) -> list[RemotePost]:
        """The whole conversation: the statuses the given one answers (oldest first), the
        status, then every reply under it. Mastodon lists descendants depth-first, so each
        reply already comes after the one it answers."""
        client = client_for(account)
        with mapped(client):
            status = client.status(remote_id)
            context = client.status_context(remote_id)
        host = _host(account)
        statuses = [*context["ancestors"], status, *context["descendants"]]
        return [convert.remote_post(s, host) for s in statuses]


def _host(account: SocialAccount) -> str:
    return convert.host_of(str(credentials_of(account).get("instance_url") or ""))


def _instance(account: SocialAccount) -> dict[str, Any]:
    return dict(credentials_of(account).get("instance") or {})


def _status_options(options: Mapping[str, Any], *, comment: bool = False) -> dict[str, Any]:
    found: dict[str, Any] = {}
    visibility = str(options.get("visibility") or "").strip().lower()
    if visibility:
        if visibility not in VISIBILITIES:
            raise Permanent(
                f"Unknown Mastodon visibility {visibility!r}; use public, unlisted, private "
                "or direct.",
                code="bad_option",
            )
        found["visibility"] = visibility
    language = str(options.get("language") or "").strip()
    if language:
        found["language"] = language
    if not comment:
        spoiler = str(options.get("spoiler_text") or "").strip()
        if spoiler:
            found["spoiler_text"] = spoiler
        if options.get("sensitive"):
            found["sensitive"] = True
    return found


def _poll(options: Mapping[str, Any], instance: Mapping[str, Any]) -> dict[str, Any] | None:
    """The poll from the composer's options, checked against the instance's limits
    (Mastodon would refuse it with a 422 anyway; this says why in Chorus' words)."""
    raw = options.get("poll_options")
    if not raw:
        return None
    if isinstance(raw, str):
        choices = [line.strip() for line in raw.splitlines() if line.strip()]
    else:
        choices = [str(line).strip() for line in raw if str(line).strip()]
    limits = poll_limits(dict(instance))
    if len(choices) < 2:
        raise Permanent("A poll needs at least two options.", code="poll_invalid")
    if len(choices) > limits["max_options"]:
        raise Permanent(
            f"This instance allows at most {limits['max_options']} poll options.",
            code="poll_invalid",
        )
    for choice in choices:
        if len(choice) > limits["max_characters_per_option"]:
            raise Permanent(
                f"Poll option {choice[:30]!r} is longer than the instance's "
                f"{limits['max_characters_per_option']} characters.",
                code="poll_invalid",
            )
    try:
        expires_in = int(options.get("poll_expires_in") or 86400)
    except (TypeError, ValueError):
        raise Permanent(
            "The poll duration must be a number of seconds.", code="poll_invalid"
        ) from None
    if not limits["min_expiration"] <= expires_in <= limits["max_expiration"]:
        raise Permanent(
            f"The poll must last between {limits['min_expiration']} and "
            f"{limits['max_expiration']} seconds on this instance.",
            code="poll_invalid",
        )
    return {
        "options": choices,
        "expires_in": expires_in,
        "multiple": bool(options.get("poll_multiple")),
        "hide_totals": bool(options.get("poll_hide_totals")),
    }


def _published(client: Mastodon, status: Mapping[str, Any]) -> Published:
    resets: datetime | None = None
    if client.ratelimit_remaining == 0 and client.ratelimit_reset:
        resets = datetime.fromtimestamp(client.ratelimit_reset, UTC)
    return Published(
        remote_id=str(status["id"]),
        remote_url=str(status.get("url") or status.get("uri") or ""),
        budget_resets_at=resets,
    )
