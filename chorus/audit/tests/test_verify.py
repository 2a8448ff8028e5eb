"""`chorus audit verify` finds the first event that was altered or whose predecessor was
removed."""

from __future__ import annotations

import itertools
import threading
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections

from chorus.audit.chain import GENESIS, record, verify
from chorus.audit.models import AuditEvent
from chorus.cli import main


@pytest.fixture
def chain(db) -> list[AuditEvent]:  # type: ignore[no-untyped-def]
    return [
        record(
            f"test.step{n}",
            object_type="test",
            object_id=str(n),
            before={"n": n - 1},
            after={"n": n, "label": f"é-{n}"},
        )
        for n in range(5)
    ]


def raw_sql(sql: str, params: list[object]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_it_links_each_event_to_the_one_before(chain):
    assert chain[0].prev_hash == GENESIS
    for before, after in itertools.pairwise(chain):
        assert after.prev_hash == before.hash


def test_it_passes_an_intact_chain(chain):
    result = verify()
    assert result.ok
    assert result.checked == 5
    out = StringIO()
    call_command("audit", "verify", stdout=out)
    assert "Audit chain intact: 5 event(s) verified." in out.getvalue()


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("action", "test.innocent"),
        ("actor_label", "someone-else@acme.test"),
        ("object_id", "999"),
    ],
)
def test_it_finds_an_altered_event(chain, column, value):
    target = chain[2]
    raw_sql(f"UPDATE audit_auditevent SET {column} = %s WHERE id = %s", [value, target.pk])
    result = verify()
    assert result.broken_at == target.pk
    assert result.checked == 2
    assert "content" in result.reason


def test_it_finds_altered_json(chain):
    target = chain[3]
    raw_sql(
        "UPDATE audit_auditevent SET after = %s WHERE id = %s",
        ['{"n": 30, "label": "x"}', target.pk],
    )
    assert verify().broken_at == target.pk


def test_it_finds_a_removed_event_at_the_next_one(chain):
    raw_sql("DELETE FROM audit_auditevent WHERE id = %s", [chain[2].pk])
    result = verify()
    assert result.broken_at == chain[3].pk
    assert "previous event" in result.reason


def test_it_finds_a_reordered_chain(chain):
    # Re-sealing a changed event is not enough: the next event still points at the old hash.
    from chorus.audit.chain import seal

    target = chain[1]
    target.action = "test.rewritten"
    raw_sql(
        "UPDATE audit_auditevent SET action = %s, hash = %s WHERE id = %s",
        [target.action, seal(target), target.pk],
    )
    assert verify().broken_at == chain[2].pk


def test_it_exits_non_zero_naming_the_broken_event(chain, monkeypatch, capsys):
    target = chain[1]
    raw_sql("UPDATE audit_auditevent SET action = %s WHERE id = %s", ["x", target.pk])
    with pytest.raises(CommandError, match=f"event #{target.pk}"):
        call_command("audit", "verify")
    # Django closes connections after a CLI command; that would end the test transaction.
    monkeypatch.setattr("django.core.management.base.connections.close_all", lambda: None)
    with pytest.raises(SystemExit) as exit_info:
        main(["audit", "verify"])
    assert exit_info.value.code == 1
    assert f"Audit chain broken at event #{target.pk}" in capsys.readouterr().err


@pytest.mark.postgres_only
def test_it_keeps_one_chain_under_concurrent_writers(transactional_db):
    threads, per_thread = 4, 50
    start = threading.Barrier(threads)
    errors: list[BaseException] = []

    def write(n: int) -> None:
        try:
            start.wait()
            for i in range(per_thread):
                record("test.concurrent", object_type="test", object_id=f"{n}-{i}")
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=write, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    assert not errors, errors
    assert AuditEvent.objects.filter(action="test.concurrent").count() == threads * per_thread
    prev_hashes = list(AuditEvent.objects.values_list("prev_hash", flat=True))
    assert len(prev_hashes) == len(set(prev_hashes)), "two events claim the same predecessor"
    result = verify()
    assert result.ok, result
    assert result.checked == threads * per_thread
