"""Account health checks: what a check records, and which accounts the periodic duty checks.

The webhook connector is the real connector under test for passing and refused checks (its
check refuses an account without URL or secret); a network that is down is played by a
connector that answers Retryable, registered for these tests only.
"""

from __future__ import annotations

import threading
import time as clock
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from chorus.connectors import health
from chorus.connectors.contract import Connector
from chorus.connectors.errors import Retryable
from chorus.connectors.tests.registered import connectors
from chorus.orgs.models import SocialAccount
from chorus.publishing import signals
from chorus.publishing.tests.factories import webhook_account

pytestmark = pytest.mark.django_db

WORKING = {"url": "https://hooks.example.test/in", "secret": "whsec_c2VjcmV0"}


class Down(Connector):
    """A network whose servers are down."""

    network = "down"
    label = "Down"

    def publish(self, account: Any, outgoing: Any, index: int, reply_to: Any) -> Any:
        raise Retryable("503 Service Unavailable")

    def check(self, account: SocialAccount) -> None:
        raise Retryable("503 Service Unavailable")


class Broken(Down):
    """A connector with a bug: it expects credentials the account does not have."""

    network = "broken"
    label = "Broken"

    def check(self, account: SocialAccount) -> None:
        raise KeyError("instance_url")


@pytest.fixture
def down_network(settings):  # type: ignore[no-untyped-def]
    with connectors(settings, f"{__name__}.Down", f"{__name__}.Broken"):
        yield


@pytest.fixture
def reconnect_signals() -> Any:
    sent: list[dict[str, Any]] = []

    def receive(sender: Any, **kwargs: Any) -> None:
        sent.append(kwargs)

    signals.account_needs_reconnect.connect(receive, dispatch_uid="test-health")
    yield sent
    signals.account_needs_reconnect.disconnect(dispatch_uid="test-health")


def test_a_passing_check_records_the_success_and_clears_the_error(tenants) -> None:
    account = webhook_account(tenants.workspace, WORKING)
    SocialAccount.objects.filter(pk=account.pk).update(last_error="timed out")
    account.refresh_from_db()

    assert health.check_account(account) is True

    account.refresh_from_db()
    assert account.last_success_at is not None
    assert account.last_error == ""
    assert account.status == SocialAccount.Status.ACTIVE


def test_a_passing_check_brings_back_an_account_that_needed_reconnecting(tenants) -> None:
    account = webhook_account(tenants.workspace, WORKING)
    SocialAccount.objects.filter(pk=account.pk).update(
        status=SocialAccount.Status.NEEDS_RECONNECT, last_error="token revoked"
    )
    account.refresh_from_db()

    assert health.check_account(account) is True

    assert account.status == SocialAccount.Status.ACTIVE
    account.refresh_from_db()
    assert (account.status, account.last_error) == (SocialAccount.Status.ACTIVE, "")


def test_refused_credentials_mark_the_account_and_tell_people_once(
    tenants, reconnect_signals
) -> None:
    account = webhook_account(tenants.workspace, {"url": WORKING["url"]})

    assert health.check_account(account) is False
    assert health.check_account(account) is False

    account.refresh_from_db()
    assert account.status == SocialAccount.Status.NEEDS_RECONNECT
    assert account.last_error == "The webhook has no URL or secret"
    assert account.last_success_at is None
    assert [s["account"].pk for s in reconnect_signals] == [account.pk]
    assert reconnect_signals[0]["message"] == "The webhook has no URL or secret"


def test_a_network_that_is_down_is_recorded_without_touching_the_status(
    tenants, down_network, reconnect_signals
) -> None:
    account = SocialAccount.objects.create(
        workspace=tenants.workspace, network="down", remote_id="d1", handle="@d1", credentials={}
    )

    assert health.check_account(account) is False

    account.refresh_from_db()
    assert account.status == SocialAccount.Status.ACTIVE
    assert account.last_error == "503 Service Unavailable"
    assert reconnect_signals == []


def test_a_network_chorus_has_no_connector_for_is_named(tenants) -> None:
    account = SocialAccount.objects.create(
        workspace=tenants.workspace, network="myspace", remote_id="m", handle="@m"
    )

    assert health.check_account(account) is False

    account.refresh_from_db()
    assert account.last_error == "This Chorus installation has no connector for myspace."
    assert account.status == SocialAccount.Status.ACTIVE


def test_a_disconnected_account_is_not_checked(tenants) -> None:
    account = webhook_account(tenants.workspace, WORKING)
    SocialAccount.objects.filter(pk=account.pk).update(status=SocialAccount.Status.DISCONNECTED)
    account.refresh_from_db()

    with pytest.raises(ValidationError, match="disconnected"):
        health.check_account(account)

    account.refresh_from_db()
    assert account.last_success_at is None


def test_the_duty_checks_active_accounts_that_have_not_answered_lately(tenants, settings) -> None:
    settings.CHORUS_ACCOUNT_CHECK_HOURS = 6
    now = timezone.now()
    fresh = webhook_account(tenants.workspace, WORKING, name="fresh")
    stale = webhook_account(tenants.workspace, WORKING, name="stale")
    webhook_account(tenants.workspace, WORKING, name="never")
    webhook_account(tenants.workspace, {}, name="broken")
    waiting = webhook_account(tenants.workspace, WORKING, name="waiting")
    gone = webhook_account(tenants.workspace, WORKING, name="gone")
    SocialAccount.objects.filter(pk=fresh.pk).update(last_success_at=now - timedelta(hours=1))
    SocialAccount.objects.filter(pk=stale.pk).update(last_success_at=now - timedelta(hours=7))
    SocialAccount.objects.filter(pk=waiting.pk).update(status=SocialAccount.Status.NEEDS_RECONNECT)
    SocialAccount.objects.filter(pk=gone.pk).update(status=SocialAccount.Status.DISCONNECTED)

    due = {a.handle for a in health.due_accounts(now) if a.network == "webhook"}
    assert due == {"stale", "never", "broken"}

    assert health.check_due_accounts(now) == 2

    rows = {a.handle: a for a in SocialAccount.objects.filter(network="webhook")}
    assert rows["stale"].last_success_at and rows["stale"].last_success_at >= now
    assert rows["never"].last_success_at and rows["never"].last_success_at >= now
    assert rows["fresh"].last_success_at == now - timedelta(hours=1)
    assert rows["broken"].status == SocialAccount.Status.NEEDS_RECONNECT
    assert rows["waiting"].last_success_at is None
    assert rows["gone"].last_success_at is None
    # Checked now, so not due again until the interval has passed.
    assert not [a for a in health.due_accounts(timezone.now()) if a.network == "webhook"]


def test_one_connectors_bug_does_not_stop_the_duty(tenants, down_network) -> None:
    """A connector that fails in an unexpected way is logged and recorded; the other
    accounts are still checked."""
    broken = SocialAccount.objects.create(
        workspace=tenants.workspace, network="broken", remote_id="b", handle="@b", credentials={}
    )
    fine = webhook_account(tenants.workspace, WORKING, name="fine")

    health.check_due_accounts(timezone.now())

    broken.refresh_from_db()
    fine.refresh_from_db()
    assert broken.last_error == "Chorus could not check this account (an internal error)."
    assert broken.status == SocialAccount.Status.ACTIVE
    assert fine.last_success_at is not None


def test_the_duty_checks_a_bounded_batch_the_longest_silent_first(tenants, settings) -> None:
    settings.CHORUS_ACCOUNT_CHECK_BATCH = 2
    now = timezone.now()
    # The tenants' own accounts answered just now: only the webhooks below are due.
    SocialAccount.objects.update(last_success_at=now)
    for hours, name in ((30, "month"), (10, "day"), (20, "week")):
        account = webhook_account(tenants.workspace, WORKING, name=name)
        SocialAccount.objects.filter(pk=account.pk).update(
            last_success_at=now - timedelta(hours=hours)
        )
    webhook_account(tenants.workspace, WORKING, name="never")

    assert [a.handle for a in health.due_accounts(now)] == ["never", "month", "week", "day"]

    health.check_due_accounts(now)

    checked = SocialAccount.objects.filter(network="webhook", last_success_at__gt=now)
    assert {a.handle for a in checked} == {"never", "month"}


def test_a_check_records_when_it_asked_whatever_the_answer(tenants, down_network) -> None:
    working = webhook_account(tenants.workspace, WORKING, name="working")
    refused = webhook_account(tenants.workspace, {}, name="refused")
    down = SocialAccount.objects.create(
        workspace=tenants.workspace, network="down", remote_id="d1", handle="@d1", credentials={}
    )
    before = timezone.now()

    for account in (working, refused, down):
        health.check_account(account)

    for account in (working, refused, down):
        account.refresh_from_db()
        assert account.last_checked_at is not None and account.last_checked_at >= before
    assert down.last_success_at is None


def test_accounts_that_keep_failing_do_not_fill_every_batch(
    tenants, settings, down_network
) -> None:
    settings.CHORUS_ACCOUNT_CHECK_BATCH = 2
    now = timezone.now()
    SocialAccount.objects.update(last_success_at=now)  # only the accounts below are due
    for name in ("down-1", "down-2"):
        SocialAccount.objects.create(
            workspace=tenants.workspace, network="down", remote_id=name, handle=name
        )
    for name in ("hook-1", "hook-2"):
        webhook_account(tenants.workspace, WORKING, name=name)

    assert health.check_due_accounts(now) == 0  # the two servers that are down
    assert health.check_due_accounts(now) == 2  # the webhooks' turn, not the same two again
    assert health.check_due_accounts(now) == 0  # everyone was asked: nothing is due

    # Once the interval has passed, the ones asked longest ago come first again.
    later = health.due_accounts(now + timedelta(hours=7))
    mine = [a.handle for a in later if a.network in ("down", "webhook")]
    assert mine == ["down-1", "down-2", "hook-1", "hook-2"]


def test_a_claimed_account_is_not_claimed_again(tenants) -> None:
    now = timezone.now()
    SocialAccount.objects.update(last_success_at=now)
    for name in ("a", "b", "c"):
        webhook_account(tenants.workspace, WORKING, name=name)

    first = health.claim_due_accounts(now, 2)
    second = health.claim_due_accounts(now, 2)

    assert [a.handle for a in first] == ["a", "b"]
    assert [a.handle for a in second] == ["c"]
    assert health.claim_due_accounts(now, 2) == []
    assert all(a.last_checked_at == now for a in SocialAccount.objects.filter(network="webhook"))


def _claim_together(now: Any, workers: int, batch: int) -> list[list[int]]:
    barrier = threading.Barrier(workers)
    claims: list[list[int]] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait()
            claims.append([a.pk for a in health.claim_due_accounts(now, batch)])
        except BaseException as error:  # reported by the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    return claims


@pytest.mark.django_db(transaction=True)
def test_workers_running_the_duty_at_once_take_different_accounts(tenants) -> None:
    now = timezone.now()
    SocialAccount.objects.update(last_success_at=now)
    accounts = [webhook_account(tenants.workspace, WORKING, name=f"w{n}") for n in range(6)]

    claims = _claim_together(now, workers=3, batch=2)

    claimed = [pk for claim in claims for pk in claim]
    assert sorted(claimed) == sorted(a.pk for a in accounts)  # each once, none left out


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_worker_passes_over_accounts_another_is_claiming(tenants) -> None:
    now = timezone.now()
    SocialAccount.objects.update(last_success_at=now)
    accounts = [webhook_account(tenants.workspace, WORKING, name=f"w{n}") for n in range(4)]
    taken: list[list[int]] = []
    other = threading.Thread(target=lambda: taken.extend(_claim_together(now, 1, 2)))
    with transaction.atomic():
        # This transaction is another worker in the middle of claiming the first two.
        list(
            SocialAccount.objects.select_for_update().filter(
                pk__in=[accounts[0].pk, accounts[1].pk]
            )
        )
        other.start()
        # Let go only once the other worker has finished, or is waiting on these rows
        # (which would be the bug).
        with connection.cursor() as cursor:
            while other.is_alive():
                cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
                if cursor.fetchone()[0]:
                    break
                clock.sleep(0.01)
    other.join()
    assert taken == [[accounts[2].pk, accounts[3].pk]]
