"""Worker heartbeats: which worker processes are alive, where, and what they have done."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone


class WorkerHeartbeatQuerySet(models.QuerySet["WorkerHeartbeat"]):
    def alive(self) -> WorkerHeartbeatQuerySet:
        cutoff = timezone.now() - timedelta(seconds=settings.WORKER_STALE_SECONDS)
        return self.filter(last_seen__gte=cutoff, stopped_at__isnull=True)


class WorkerHeartbeat(models.Model):
    worker_id = models.CharField(max_length=64, unique=True)
    hostname = models.CharField(max_length=255)
    pid = models.IntegerField()
    mode = models.CharField(max_length=20)  # "in-process" or "process"
    queues = models.CharField(max_length=255)
    started_at = models.DateTimeField()
    last_seen = models.DateTimeField(db_index=True)
    stopped_at = models.DateTimeField(null=True, blank=True)
    tasks_run = models.BigIntegerField(default=0)

    objects = WorkerHeartbeatQuerySet.as_manager()

    class Meta:
        ordering = ("-last_seen",)

    def __str__(self) -> str:
        return f"{self.worker_id} on {self.hostname} (pid {self.pid})"

    @property
    def is_alive(self) -> bool:
        cutoff = timezone.now() - timedelta(seconds=settings.WORKER_STALE_SECONDS)
        return self.stopped_at is None and self.last_seen >= cutoff
