"""The worker loop inside this process: the mode `chorus serve` uses, and `worker --batch`."""

from __future__ import annotations

import threading
import time
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.utils import OperationalError
from django_tasks.signals import task_finished
from django_tasks_db.models import DBTaskResult, DBTaskResultQuerySet

from chorus.workers.models import WorkerHeartbeat
from chorus.workers.runner import MODE_IN_PROCESS, HeartbeatWorker
from chorus.workers.tests import support_tasks


class FinishedCounter:
    """Counts finished tasks through the task_finished signal, so the test thread need not
    poll the database while the worker writes to it (SQLite's in-memory test database
    reports lock conflicts between threads at once instead of waiting)."""

    def __init__(self, expected: int) -> None:
        self.expected = expected
        self.count = 0
        self.done = threading.Event()
        self._lock = threading.Lock()

    def __call__(self, sender: object, **kwargs: object) -> None:
        with self._lock:
            self.count += 1
            if self.count >= self.expected:
                self.done.set()


def while_worker_runs(query):  # type: ignore[no-untyped-def]
    """Runs a query from the test thread beside a busy worker thread; see FinishedCounter."""
    for _ in range(100):
        try:
            return query()
        except OperationalError as exc:
            if "locked" not in str(exc):
                raise
            time.sleep(0.02)
    raise AssertionError("the database stayed locked")


@pytest.fixture
def finished():  # type: ignore[no-untyped-def]
    counters: list[FinishedCounter] = []

    def expect(n: int) -> FinishedCounter:
        counter = FinishedCounter(n)
        task_finished.connect(counter, weak=False)
        counters.append(counter)
        return counter

    yield expect
    for counter in counters:
        task_finished.disconnect(counter)


def test_it_runs_tasks_in_a_thread_and_records_its_heartbeat(transactional_db, finished, settings):
    settings.WORKER_HEARTBEAT_SECONDS = 0.2
    results = [support_tasks.multiply.enqueue(n, 10) for n in range(5)]
    counter = finished(5)
    worker = HeartbeatWorker(mode=MODE_IN_PROCESS, interval=0.05, startup_delay=False)
    thread = threading.Thread(target=worker.run, daemon=True)
    thread.start()
    try:
        assert counter.done.wait(30), f"only {counter.count} of 5 tasks finished"
    finally:
        worker.stop()
        thread.join(15)
    assert not thread.is_alive(), "the worker did not stop when asked"

    for n, result in enumerate(results):
        result.refresh()
        assert result.status == "SUCCESSFUL"
        assert result.return_value == n * 10
        assert result.worker_ids == [worker.worker_id]
    beat = WorkerHeartbeat.objects.get(worker_id=worker.worker_id)
    assert beat.mode == "in-process"
    assert beat.tasks_run == 5
    assert beat.stopped_at is not None
    assert not beat.is_alive
    assert beat.last_seen >= beat.started_at


def test_it_shows_the_worker_alive_while_it_runs(transactional_db, finished, settings):
    settings.WORKER_HEARTBEAT_SECONDS = 0.1
    worker = HeartbeatWorker(mode=MODE_IN_PROCESS, interval=0.05, startup_delay=False)
    thread = threading.Thread(target=worker.run, daemon=True)
    thread.start()
    try:
        counter = finished(1)
        support_tasks.multiply.enqueue(6, 7)
        assert counter.done.wait(30)
        beat = while_worker_runs(lambda: WorkerHeartbeat.objects.get(worker_id=worker.worker_id))
        assert beat.is_alive
        assert while_worker_runs(
            lambda: WorkerHeartbeat.objects.alive().filter(pk=beat.pk).exists()
        )
    finally:
        worker.stop()
        thread.join(15)
    assert not WorkerHeartbeat.objects.alive().filter(worker_id=worker.worker_id).exists()


def test_it_records_a_failing_task_and_carries_on(transactional_db, finished):
    failing = support_tasks.fail.enqueue("boom")
    after = support_tasks.multiply.enqueue(2, 3)
    call_command("worker", "--batch", "--interval", "0", stdout=StringIO())
    failing.refresh()
    after.refresh()
    assert failing.status == "FAILED"
    assert "ValueError" in failing.errors[0].exception_class_path
    assert after.status == "SUCCESSFUL"
    assert after.return_value == 6


def test_it_runs_what_is_due_and_exits_in_batch_mode(transactional_db):
    for n in range(3):
        support_tasks.multiply.enqueue(n, 2)
    out = StringIO()
    call_command("worker", "--batch", "--interval", "0", "--worker-id", "batch-1", stdout=out)
    assert "stopped after 3 task(s)" in out.getvalue()
    assert DBTaskResult.objects.successful().count() == 3
    beat = WorkerHeartbeat.objects.get(worker_id="batch-1")
    assert beat.mode == "process"
    assert beat.tasks_run == 3
    assert beat.stopped_at is not None


def test_it_stops_after_max_tasks(transactional_db):
    for n in range(4):
        support_tasks.multiply.enqueue(n, 2)
    call_command("worker", "--max-tasks", "2", "--interval", "0", stdout=StringIO())
    assert DBTaskResult.objects.successful().count() == 2
    assert DBTaskResult.objects.ready().count() == 2


def test_it_keeps_serving_after_losing_the_database(transactional_db, monkeypatch):
    support_tasks.multiply.enqueue(4, 5)
    real_get_locked = DBTaskResultQuerySet.get_locked
    calls = {"n": 0}

    def flaky(self):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return real_get_locked(self)

    monkeypatch.setattr(DBTaskResultQuerySet, "get_locked", flaky)
    monkeypatch.setattr("chorus.workers.runner.MAX_RETRY_SECONDS", 0.05)
    call_command("worker", "--batch", "--interval", "0.01", stdout=StringIO())
    assert calls["n"] >= 2
    assert DBTaskResult.objects.successful().count() == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--worker-id", "x" * 65], "--worker-id"),
        (["--queues", ","], "--queues"),
        (["--max-tasks", "0"], "--max-tasks"),
        (["--interval", "-1"], "--interval"),
    ],
)
def test_it_rejects_bad_options(db, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("worker", "--batch", *args)


def test_it_restores_signal_handlers_after_running(transactional_db):
    import signal

    before = signal.getsignal(signal.SIGTERM)
    call_command("worker", "--batch", "--interval", "0", stdout=StringIO())
    assert signal.getsignal(signal.SIGTERM) is before
