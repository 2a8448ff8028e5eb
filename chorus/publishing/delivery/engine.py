"""One attempt at one claimed delivery.

The order of events is what makes "exactly once" hold:
1. A delivery whose last attempt ended in doubt is first checked against the network
   (for each part not yet recorded), and only the parts the network does not have are
   sent again.
2. Each part's remote id is written the moment the network returns it, conditional on
   this worker still holding the lease; a thread therefore resumes where it stopped.
3. Every write is conditional on the lease, so a worker that lost its lease (it was
   thought dead and another took over) cannot overwrite the newer worker's result.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from chorus.connectors.contract import Capability, Connector, Outgoing, Published
from chorus.connectors.errors import (
    AuthError,
    ConnectorError,
    NotSupported,
    Permanent,
    RateLimited,
    Retryable,
    UnknownOutcome,
)
from chorus.connectors.registry import connector_for
from chorus.orgs.models import SocialAccount
from chorus.publishing import signals
from chorus.publishing.delivery import outgoing as outgoing_module
from chorus.publishing.delivery.backoff import next_try
from chorus.publishing.delivery.config import EngineConfig, engine_config
from chorus.publishing.delivery.settle import settle_post, start_post
from chorus.publishing.models import (
    AccountQueue,
    AttemptOutcome,
    Delivery,
    DeliveryAttempt,
    DeliveryState,
    PostState,
)

logger = logging.getLogger(__name__)
COMMENT = "comment"
DISCONNECTED = "The account was disconnected: connect it again, then publish the post again."
# Time a resend may take to reach the network after the check (media uploads, video
# processing): an idempotency key that expires within it counts as expired.
RESEND_MARGIN = timedelta(minutes=10)


class LeaseLost(Exception):
    """Another worker owns this delivery now; stop without writing anything."""


def deliver(delivery: Delivery, worker_id: str, config: EngineConfig | None = None) -> str:
    """Run one claimed attempt; return the state the delivery ended in."""
    config = config or engine_config()
    attempt = Attempt(delivery, worker_id, config)
    try:
        return attempt.run()
    except LeaseLost:
        logger.warning("Delivery %s: lease lost to another worker", delivery.pk)
        return DeliveryState.SENDING


class Attempt:
    def __init__(self, delivery: Delivery, worker_id: str, config: EngineConfig) -> None:
        self.delivery = delivery
        self.worker_id = worker_id
        self.config = config

    # The attempt -------------------------------------------------------------------------

    def run(self) -> str:
        d = self.delivery
        post = d.post
        # The post may have been cancelled between the claim and now.
        post.refresh_from_db(fields=["state"])
        if post.state in (PostState.CANCELLED, PostState.DRAFT):
            return self._finish(
                DeliveryState.CANCELLED,
                AttemptOutcome.PERMANENT,
                None,
                code="cancelled",
                message="The post was cancelled.",
            )
        start_post(post)
        try:
            connector = connector_for(d.network)
        except LookupError:
            return self._fail(Permanent(f"No connector for {d.network}", code="no_connector"))
        account = d.account
        # Claiming skips accounts that need reconnecting, but the status may have changed
        # since the claim read it.
        account.refresh_from_db(fields=["status"])
        if account.status == SocialAccount.Status.NEEDS_RECONNECT:
            return self._wait_for_reconnect()
        if account.status != SocialAccount.Status.ACTIVE:
            return self._fail(Permanent(DISCONNECTED, code="account_disconnected"))
        try:
            outgoing = outgoing_module.build(d)
            if d.must_check:
                self._check(connector, account, outgoing)
            self._send(connector, account, outgoing)
        except LeaseLost:
            raise
        except RateLimited as error:
            return self._rate_limited(error)
        except Retryable as error:
            return self._retry(error)
        except AuthError as error:
            # The account is flagged and the post waits for it, like every other post of
            # that account: reconnecting sends them all.
            self._needs_reconnect(error.message)
            return self._wait_for_reconnect(error.message)
        except UnknownOutcome as error:
            return self._doubt(error)
        except (Permanent, NotSupported) as error:
            return self._fail(error)
        except ConnectorError as error:
            return self._fail(error)
        except Exception as error:
            logger.exception("Delivery %s: unexpected error", d.pk)
            return self._doubt(UnknownOutcome(f"Internal error: {type(error).__name__}"))
        return self._published()

    def _check(self, connector: Connector, account: SocialAccount, outgoing: Outgoing) -> None:
        """Settle a doubtful earlier attempt: which of the unrecorded parts exist?"""
        steps = self._steps(outgoing)
        done = {entry["i"] for entry in self.delivery.progress}
        pending = [step for step in steps if step not in done]
        if not pending:
            return
        # Steps the network was not asked about: only its idempotency keeps them single.
        unsettled = pending
        if Capability.LOOKUP in connector.capabilities:
            asking = replace(outgoing, first_attempt_at=self._first_attempt_at())
            found_any = False
            for position, step in enumerate(pending):
                unsettled = pending[position:]
                if step == COMMENT:
                    found = None
                else:
                    try:
                        found = connector.find(account, asking, int(step))
                    except NotSupported:
                        if Capability.IDEMPOTENT in connector.capabilities:
                            break
                        raise
                if found is None:
                    # Parts go out in order, so nothing after a missing part exists either;
                    # a first comment is never looked up.
                    if step != COMMENT:
                        unsettled = []
                    break
                found_any = True
                self._record(step, found)
            else:
                unsettled = []
            self._log_check(AttemptOutcome.FOUND if found_any else AttemptOutcome.NOT_FOUND)
        if unsettled and Capability.IDEMPOTENT in connector.capabilities:
            self._within_idempotency_window(connector)
            # The doubt stands until those steps are recorded: a resend that fails again
            # must be checked again next time, when the key may have been forgotten.
            return
        if unsettled and Capability.LOOKUP not in connector.capabilities:
            # Neither lookup nor server-side dedup: resending could post twice. Say so
            # rather than guess.
            raise Permanent(
                "The network did not answer and cannot be asked whether the post exists; "
                "check the account and publish again if it is missing.",
                code="unconfirmed",
            )
        self._save(must_check=False)

    def _within_idempotency_window(self, connector: Connector) -> None:
        """Refuse to resend when the network may have forgotten the idempotency key of
        the earliest attempt that ended in doubt."""
        window = connector.idempotency_window
        if window is None:
            return
        doubtful = (
            DeliveryAttempt.objects.filter(
                delivery=self.delivery,
                outcome__in=(AttemptOutcome.UNKNOWN, AttemptOutcome.CRASHED),
            )
            .order_by("started_at")
            .values_list("started_at", flat=True)
            .first()
        )
        # No log of the doubtful attempt: assume the worst.
        if (
            doubtful is None
            or timezone.now() - doubtful > timedelta(seconds=window) - RESEND_MARGIN
        ):
            raise Permanent(
                "The network did not answer, and it forgets a repeated request after "
                f"{int(window // 60)} minutes, so sending again now could post twice; "
                "check the account and publish again if the post is missing.",
                code="unconfirmed",
            )

    def _first_attempt_at(self) -> datetime | None:
        return (
            DeliveryAttempt.objects.filter(delivery=self.delivery)
            .order_by("started_at")
            .values_list("started_at", flat=True)
            .first()
        )

    def _send(self, connector: Connector, account: SocialAccount, outgoing: Outgoing) -> None:
        done = {entry["i"]: entry for entry in self.delivery.progress}
        previous: Published | None = None
        for index in range(len(outgoing.parts)):
            key = str(index)
            if key in done:
                previous = Published(done[key]["id"], done[key].get("url", ""))
                continue
            previous = connector.publish(account, outgoing, index, previous)
            self._record(key, previous)
        if outgoing.first_comment and COMMENT not in done:
            first = self.delivery.progress[0]
            on = Published(first["id"], first.get("url", ""))
            self._record(COMMENT, connector.comment(account, outgoing, on))

    def _steps(self, outgoing: Outgoing) -> list[str]:
        steps = [str(i) for i in range(len(outgoing.parts))]
        return [*steps, COMMENT] if outgoing.first_comment else steps

    # Writes, all conditional on the lease ------------------------------------------------

    def _owned(self) -> Any:
        return Delivery.objects.filter(
            pk=self.delivery.pk, state=DeliveryState.SENDING, lease_owner=self.worker_id
        )

    def _save(self, **changes: Any) -> None:
        now = timezone.now()
        if not self._owned().update(**changes, updated_at=now):
            raise LeaseLost()
        for name, value in changes.items():
            setattr(self.delivery, name, value)

    def _record(self, step: str, published: Published) -> None:
        progress = [
            *self.delivery.progress,
            {"i": step, "id": published.remote_id, "url": published.remote_url},
        ]
        # Renew the lease too: a long thread must not be taken for a dead worker's.
        lease = timezone.now() + timedelta(seconds=self.config.lease_seconds)
        self._save(progress=progress, lease_expires_at=lease)
        if published.budget_resets_at:
            AccountQueue.objects.update_or_create(
                account_id=self.delivery.account_id,
                defaults={"throttled_until": published.budget_resets_at},
            )

    def _log_check(self, outcome: str) -> None:
        """Close the attempt's log row with what the network said; what is sent next is
        logged in a row of its own."""
        now = timezone.now()
        DeliveryAttempt.objects.filter(
            delivery=self.delivery, number=self.delivery.attempts, finished_at__isnull=True
        ).update(
            finished_at=now,
            outcome=outcome,
            message="Asked the network about an attempt that got no answer.",
        )
        DeliveryAttempt.objects.create(
            delivery=self.delivery,
            number=self.delivery.attempts,
            worker=self.worker_id[:80],
            started_at=now,
        )

    def _finish(
        self,
        state: str,
        outcome: str,
        error: ConnectorError | None,
        *,
        code: str = "",
        message: str = "",
        due_at: datetime | None = None,
        **extra: Any,
    ) -> str:
        now = timezone.now()
        code = code or (error.code if error else "")
        message = message or (error.message if error else "")
        with transaction.atomic():
            self._save(
                state=state,
                lease_owner="",
                lease_expires_at=None,
                due_at=due_at,
                last_error_code=code if state != DeliveryState.PUBLISHED else "",
                last_error=message if state != DeliveryState.PUBLISHED else "",
                **extra,
            )
            DeliveryAttempt.objects.filter(
                delivery=self.delivery, number=self.delivery.attempts, finished_at__isnull=True
            ).update(
                finished_at=now,
                outcome=outcome,
                status_code=error.status if error else None,
                error_code=code[:60],
                message=message,
                retry_at=due_at,
            )
            # In the same transaction: a worker killed right after the delivery's final
            # write must not leave the post "publishing" for ever.
            if state in (DeliveryState.PUBLISHED, DeliveryState.FAILED, DeliveryState.CANCELLED):
                settle_post(self.delivery.post_id)
        if state == DeliveryState.FAILED:
            signals.delivery_failed.send(
                sender=Delivery, delivery=self.delivery, error_code=code, message=message
            )
        return state

    def _published(self) -> str:
        first = self.delivery.progress[0] if self.delivery.progress else {"id": "", "url": ""}
        # The account's health shows when the network last took something from us.
        SocialAccount.objects.filter(pk=self.delivery.account_id).update(
            last_success_at=timezone.now()
        )
        return self._finish(
            DeliveryState.PUBLISHED,
            AttemptOutcome.PUBLISHED,
            None,
            remote_id=first["id"],
            remote_url=first.get("url", ""),
            published_at=timezone.now(),
            must_check=False,
        )

    def _fail(self, error: ConnectorError) -> str:
        return self._finish(DeliveryState.FAILED, AttemptOutcome.PERMANENT, error)

    def _wait_for_reconnect(self, reason: str = "") -> str:
        """Put the delivery back as it was, due when it was: it goes out once the account
        is reconnected, and until then claiming leaves it alone."""
        d = self.delivery
        if d.must_check:
            state = DeliveryState.UNKNOWN
        elif d.attempts > 1:
            state = DeliveryState.RETRYING
        else:
            state = DeliveryState.SCHEDULED
        return self._finish(
            state,
            AttemptOutcome.AUTH,
            None,
            code="account_needs_reconnect",
            message=(
                f"The account needs reconnecting ({reason[:500]}); the post waits until it is "
                "reconnected."
                if reason
                else "The account needs reconnecting; the post waits until it is reconnected."
            ),
            due_at=d.due_at,
        )

    def _retry(self, error: Retryable) -> str:
        if self.delivery.attempts >= self.config.max_attempts:
            return self._finish(
                DeliveryState.FAILED,
                AttemptOutcome.RETRYABLE,
                error,
                message=f"Gave up after {self.delivery.attempts} attempts: {error.message}",
            )
        when = next_try(
            timezone.now(),
            self.delivery.attempts,
            base=self.config.backoff_base,
            cap=self.config.backoff_cap,
            retry_after=error.retry_after,
        )
        return self._finish(DeliveryState.RETRYING, AttemptOutcome.RETRYABLE, error, due_at=when)

    def _rate_limited(self, error: RateLimited) -> str:
        now = timezone.now()
        when = error.reset_at or next_try(
            now, self.delivery.attempts, base=self.config.backoff_base, cap=self.config.backoff_cap
        )
        # The budget is the account's, not the post's: hold every delivery of the account.
        AccountQueue.objects.update_or_create(
            account_id=self.delivery.account_id, defaults={"throttled_until": when}
        )
        if self.delivery.attempts >= self.config.max_attempts:
            return self._finish(DeliveryState.FAILED, AttemptOutcome.RATE_LIMITED, error)
        return self._finish(DeliveryState.RETRYING, AttemptOutcome.RATE_LIMITED, error, due_at=when)

    def _doubt(self, error: UnknownOutcome) -> str:
        if self.delivery.attempts >= self.config.max_attempts:
            return self._finish(
                DeliveryState.FAILED,
                AttemptOutcome.UNKNOWN,
                error,
                message=f"No confirmation after {self.delivery.attempts} attempts: {error.message}",
                # Still in doubt: retrying the failed delivery must ask the network first.
                must_check=True,
            )
        when = timezone.now() + timedelta(seconds=self.config.check_delay)
        return self._finish(
            DeliveryState.UNKNOWN, AttemptOutcome.UNKNOWN, error, due_at=when, must_check=True
        )

    def _needs_reconnect(self, message: str) -> None:
        account = self.delivery.account
        changed = SocialAccount.objects.filter(
            pk=account.pk, status=SocialAccount.Status.ACTIVE
        ).update(status=SocialAccount.Status.NEEDS_RECONNECT, last_error=message[:2000])
        if changed:
            account.status = SocialAccount.Status.NEEDS_RECONNECT
            signals.account_needs_reconnect.send(
                sender=SocialAccount, account=account, message=message
            )
