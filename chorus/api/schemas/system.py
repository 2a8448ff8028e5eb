"""The installation itself: background workers."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema


class WorkerOut(Schema):
    worker_id: str
    hostname: str
    pid: int
    mode: str = Field(description="in-process (inside the web server) or process.")
    queues: str
    started_at: datetime
    last_seen: datetime = Field(description="Last heartbeat.")
    stopped_at: datetime | None
    tasks_run: int
    alive: bool = Field(description="Whether it sent a heartbeat recently and is running.")

    @staticmethod
    def resolve_alive(worker: object) -> bool:
        return bool(getattr(worker, "is_alive", False))
