import threading
import time as clock
from datetime import time

import pytest
from django.db import connection, transaction

from chorus.publishing.models import Post
from chorus.publishing.scheduling.services import add_to_queue, share_next
from chorus.publishing.scheduling.tests.helpers import MONDAY, draft, in_new_york, slots

pytestmark = pytest.mark.django_db(transaction=True)


def run_together(jobs: list) -> list[BaseException]:
    barrier = threading.Barrier(len(jobs))
    errors: list[BaseException] = []

    def run(job) -> None:
        try:
            barrier.wait()
            job()
        except BaseException as error:  # reported by the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_concurrent_queue_operations_all_succeed_on_distinct_slots(tenants, own) -> None:
    in_new_york(tenants.workspace)
    slots(own, time(9), time(13))
    posts = [draft([own], f"post {i}") for i in range(4)]
    jobs = [lambda p=p: add_to_queue(p, now=MONDAY) for p in posts[:3]]
    jobs.append(lambda: share_next(posts[3], now=MONDAY))
    assert run_together(jobs) == []
    instants = [Post.objects.get(pk=p.pk).scheduled_at for p in posts]
    assert len(set(instants)) == 4


@pytest.mark.postgres_only
def test_a_second_queue_operation_waits_for_the_first_and_sees_its_slot(tenants, own) -> None:
    in_new_york(tenants.workspace)
    slots(own, time(9), time(13))
    # (Making the drafts also made the account's queue row, so nothing below waits on
    # an insert.)
    first, second = (draft([own], name) for name in ("first", "second"))
    other = threading.Thread(
        target=run_together, args=([lambda: add_to_queue(second, now=MONDAY)],)
    )
    with transaction.atomic():
        add_to_queue(first, now=MONDAY)  # holds the queue's lock until this block commits
        other.start()
        # Commit only once the other operation is blocked on a lock (or, were nothing
        # locked, has already finished and taken the same slot).
        with connection.cursor() as cursor:
            while other.is_alive():
                cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
                if cursor.fetchone()[0]:
                    break
                clock.sleep(0.01)
    other.join()
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.scheduled_at != second.scheduled_at
