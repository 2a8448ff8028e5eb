"""Worker heartbeats, for the installation's administrators."""

from datetime import timedelta

from django.utils import timezone

from chorus.accounts.models import User
from chorus.api.tests.conftest import ApiClient
from chorus.workers.models import WorkerHeartbeat


def test_it_shows_workers_to_administrators(tenants):
    now = timezone.now()
    for worker_id, seen, stopped in [
        ("w-alive", now, None),
        ("w-stale", now - timedelta(minutes=5), None),
        ("w-stopped", now - timedelta(seconds=1), now),
    ]:
        WorkerHeartbeat.objects.create(
            worker_id=worker_id,
            hostname="host",
            pid=1,
            mode="process",
            queues="default",
            started_at=now - timedelta(hours=1),
            last_seen=seen,
            stopped_at=stopped,
        )
    admin = User.objects.create_superuser("root@example.test", "pw-for-tests-1")
    items = ApiClient(admin).get("/system/workers").json()["items"]
    assert [(w["worker_id"], w["alive"]) for w in items] == [
        ("w-alive", True),
        ("w-stopped", False),
        ("w-stale", False),
    ]


def test_it_hides_workers_from_everyone_else(tenants, owner):
    response = owner.get("/system/workers")
    assert response.status_code == 403
    assert "administrators" in response.json()["detail"]
