"""Log records that say which request they belong to.

With CHORUS_LOG_FORMAT=json every line is one JSON object (time, level, logger,
request_id, message, plus any `extra` fields such as the access log's method, path,
status and duration_ms), ready for a log shipper.
"""

from __future__ import annotations

import logging

from chorus.audit.context import current_request_id


class RequestIdFilter(logging.Filter):
    """Stamps every log record with the id of the request that produced it ("-" outside a
    request), unless the record already carries one."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", None):
            record.request_id = current_request_id.get() or "-"
        return True
