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


class SecretPathFilter(logging.Filter):
    """Keeps secret URL parameters out of Django's own request log lines.

    Django logs refused requests as "Bad Request: /invite/<token>/" and attaches the
    request, whose repr holds the path too. A pending invitation's link in the logs would
    let anyone who reads them join as the invitee, so these lines get the path the access
    log shows (see chorus.ops.middleware.loggable_path).
    """

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        path = getattr(request, "path", None)
        if request is None or not isinstance(path, str):
            return True
        # Imported here: logging is configured before the apps are loaded.
        from chorus.ops.middleware import loggable_path

        safe = loggable_path(request)
        if safe == path:
            return True
        # django.utils.log.log_response escapes its arguments this way.
        escaped = path.encode("unicode_escape").decode("ascii")
        if isinstance(record.args, tuple):
            record.args = tuple(
                arg.replace(path, safe).replace(escaped, safe) if isinstance(arg, str) else arg
                for arg in record.args
            )
        record.request = f"<{type(request).__name__}: {request.method} {safe!r}>"
        return True
