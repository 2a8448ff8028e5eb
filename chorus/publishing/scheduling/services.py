"""The scheduling operations the composer, the calendar, the API and the delivery engine
call. Each is one transaction: a post is scheduled on all its accounts or on none.

Errors for bad input are ``ScheduleError`` (code, field, message); a post whose state
does not allow scheduling raises ``chorus.publishing.states.TransitionError``.
"""

from chorus.publishing.scheduling.errors import ScheduleError
from chorus.publishing.scheduling.exact import (
    GRACE,
    reschedule_keeping_time,
    schedule_at,
    schedule_instant,
    share_now,
)
from chorus.publishing.scheduling.queueing import (
    add_to_queue,
    pause_queue,
    resume_queue,
    set_daily_limit,
    share_next,
)
from chorus.publishing.scheduling.repeats import next_repeat
from chorus.publishing.scheduling.targets import set_targets

__all__ = [
    "GRACE",
    "ScheduleError",
    "add_to_queue",
    "next_repeat",
    "pause_queue",
    "reschedule_keeping_time",
    "resume_queue",
    "schedule_at",
    "schedule_instant",
    "set_daily_limit",
    "set_targets",
    "share_next",
    "share_now",
]
