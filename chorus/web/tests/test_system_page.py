"""The system page, for the installation's administrators."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from chorus.accounts.models import User
from chorus.workers.models import WorkerHeartbeat


def _heartbeat(worker_id: str, seconds_ago: int) -> WorkerHeartbeat:
    now = timezone.now()
    return WorkerHeartbeat.objects.create(
        worker_id=worker_id,
        hostname="box-1",
        pid=4242,
        mode="process",
        queues="default",
        started_at=now - timedelta(hours=1),
        last_seen=now - timedelta(seconds=seconds_ago),
        tasks_run=17,
    )


def test_it_shows_workers_and_the_database_to_superusers(client, db):
    _heartbeat("alive-one", 2)
    _heartbeat("stale-one", 600)
    admin = User.objects.create_superuser("root@example.test", "pw-for-tests-1")
    client.force_login(admin)
    page = client.get("/system/")
    assert page.status_code == 200
    assert "alive-one" in page.text and "stale-one" in page.text
    assert "box-1" in page.text and "4242" in page.text and "17" in page.text
    assert "alive" in page.text and "stale" in page.text
    assert "1 worker is running." in page.text
    assert ("SQLite" in page.text) or ("PostgreSQL" in page.text)


def test_it_is_refused_to_everyone_else(client, tenants):
    client.force_login(tenants.users["owner"])
    response = client.get("/system/")
    assert response.status_code == 403
    assert "Only the installation" in response.text


def test_the_user_menu_links_it_for_superusers_only(client, tenants):
    client.force_login(tenants.users["owner"])
    assert 'href="/system/"' not in client.get("/").text
    admin = User.objects.create_superuser("root@example.test", "pw-for-tests-1")
    client.force_login(admin)
    assert 'href="/system/"' in client.get("/").text
