"""Review finding: two owners demoting (or removing) each other at the same moment both
passed the "at least one owner stays" check, leaving an organisation nobody owns."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connections

from chorus.accounts.models import User
from chorus.orgs import policy, services
from chorus.orgs.models import Membership, Organisation
from chorus.orgs.roles import Role


def _demote(actor: User, membership: Membership) -> None:
    services.change_member_role(actor, membership, Role.ADMIN)


def _remove(actor: User, membership: Membership) -> None:
    services.remove_member(actor, membership)


@pytest.mark.parametrize("change", [_demote, _remove], ids=["demote", "remove"])
def test_two_owners_cannot_both_step_down_at_once(
    transactional_db: Any, monkeypatch: pytest.MonkeyPatch, change: Callable[..., None]
) -> None:
    org = Organisation.objects.create(name="Duo")
    first = User.objects.create_user("first@duo.test", "pw-for-tests-1")
    second = User.objects.create_user("second@duo.test", "pw-for-tests-1")
    first_m = Membership.objects.create(organisation=org, user=first, role=Role.OWNER)
    second_m = Membership.objects.create(organisation=org, user=second, role=Role.OWNER)

    # Hold each request just after its last-owner check, so that without a lock both
    # checks run before either change is written. With the lock the second request
    # waits inside its check, the barrier times out and the first goes on alone.
    barrier = threading.Barrier(2, timeout=3)
    original = services._guard_last_owner

    def guard_then_wait(membership: Membership, new_role: str | None) -> None:
        original(membership, new_role)
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait()

    monkeypatch.setattr(services, "_guard_last_owner", guard_then_wait)
    # The loser is refused by the owner check, or (when the winner committed before the
    # loser even started, as SQLite's write lock makes happen) because the loser is no
    # longer an owner or no longer a member.
    refused: list[Exception] = []
    errors: list[BaseException] = []

    def act(actor: User, target_pk: int) -> None:
        try:
            change(actor, Membership.objects.select_related("organisation").get(pk=target_pk))
        except (ValidationError, policy.PolicyError) as exc:
            refused.append(exc)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=act, args=(first, second_m.pk)),
        threading.Thread(target=act, args=(second, first_m.pk)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert not errors, errors
    owners = Membership.objects.filter(organisation=org, role=Role.OWNER).count()
    assert owners == 1, "exactly one of the two may step down"
    assert len(refused) == 1
