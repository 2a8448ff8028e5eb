from __future__ import annotations

import logging

from chorus.audit.context import current_request_id


class RequestIdFilter(logging.Filter):
    """Stamps every log record with the id of the request that produced it."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id.get() or "-"
        return True
