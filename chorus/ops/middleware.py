from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from chorus.audit.context import current_request_id
from chorus.ops import metrics

access_log = logging.getLogger("chorus.access")

# Accept a caller's request id (from a proxy) only when it is short and harmless in logs.
_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
# URL parameters with these names carry secrets (invitation links, reset links); their
# values are kept out of the access log.
_SECRET_PARAM = re.compile(r"token|key|secret|code", re.IGNORECASE)


class RequestIdMiddleware:
    """Gives every request an id (logged, returned as X-Request-ID, stamped on audit
    events) and writes one access-log line per request. Outermost, so the duration covers
    every other middleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _SAFE_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        # Left set after the middleware returns: Django logs 4xx/5xx responses
        # ("django.request") after the middleware chain, and those lines need the id too.
        # The request_finished signal clears it (see OpsConfig.ready).
        current_request_id.set(request_id)
        started = time.perf_counter()
        response = self.get_response(request)
        response["X-Request-ID"] = request_id
        duration_ms = round((time.perf_counter() - started) * 1000, 1)
        path = loggable_path(request)
        access_log.info(
            "%s %s %s %.1fms",
            request.method,
            path,
            response.status_code,
            duration_ms,
            extra={
                "method": request.method,
                "path": path,
                "status": response.status_code,
                "duration_ms": duration_ms,
            },
        )
        return response


def clear_request_id(**kwargs: object) -> None:
    current_request_id.set("")


def loggable_path(request: HttpRequest) -> str:
    """The request path, with secret URL parameters replaced; never the query string."""
    path = request.path
    match = getattr(request, "resolver_match", None)
    if match is not None:
        for name, value in match.kwargs.items():
            if _SECRET_PARAM.search(name) and isinstance(value, str) and value:
                path = path.replace(value, "[redacted]")
    return path


class MetricsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        metrics.http_latency.observe(time.perf_counter() - started)
        metrics.http_requests.labels(
            metrics.method_label(request.method), str(response.status_code)
        ).inc()
        return response
