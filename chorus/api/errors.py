"""Every error the API returns has one shape: {"detail": "...", "errors": {field: [...]}}.

Bad input is answered with a 4xx that names what is wrong; a 500 means a bug.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core import signals
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import HttpError
from ninja.errors import ValidationError as RequestValidationError

from chorus.api.schemas.common import NO_NUL_PATTERN
from chorus.orgs.policy import NotAuthenticated, NotFound, PolicyError
from chorus.publishing.compose.problems import InvalidPost
from chorus.publishing.scheduling.errors import ScheduleError
from chorus.publishing.states import TransitionError

logger = logging.getLogger("chorus.api")

# Where a request value came from; not part of the field name a client sees.
_SOURCES = {"body", "query", "path", "header", "cookie", "form", "file"}
# The name every view gives its JSON body parameter.
BODY_PARAM = "payload"


def error_body(detail: str, errors: dict[str, list[str]] | None = None) -> dict[str, Any]:
    return {"detail": detail, "errors": errors or {}}


def _field(loc: tuple[Any, ...] | list[Any]) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] in _SOURCES:
        source = parts.pop(0)
        if source == "body" and parts and parts[0] == BODY_PARAM:
            parts.pop(0)
        if not parts:
            return source
    return ".".join(parts) or NON_FIELD_ERRORS


def _message(error: dict[str, Any]) -> str:
    """A clear, translatable message for the common pydantic error types."""
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return _("This field is required.")
    if kind == "extra_forbidden":
        return _("Unknown field; check its spelling.")
    if kind == "string_too_long":
        return _("Keep this to %(max)d characters or fewer.") % {"max": ctx.get("max_length", 0)}
    if kind == "string_too_short":
        if ctx.get("min_length") == 1:
            return _("This cannot be empty.")
        return _("Enter at least %(min)d characters.") % {"min": ctx.get("min_length", 0)}
    if kind == "string_pattern_mismatch" and ctx.get("pattern") == NO_NUL_PATTERN:
        return _("This must not contain the NUL character.")
    if kind in {"string_type", "string_unicode"}:
        return _("Enter text (a JSON string of valid Unicode).")
    if kind in {"int_type", "int_parsing", "int_from_float"}:
        return _("Enter a whole number.")
    if kind == "greater_than_equal":
        return _("Enter a number no smaller than %(limit)s.") % {"limit": ctx.get("ge")}
    if kind == "less_than_equal":
        return _("Enter a number no larger than %(limit)s.") % {"limit": ctx.get("le")}
    if kind in {"bool_type", "bool_parsing"}:
        return _("Enter true or false.")
    if kind.startswith(("datetime_", "date_", "timezone_")):
        return _("Enter a date and time in ISO 8601 form, such as 2030-01-31T09:00:00Z.")
    if kind in {"enum", "literal_error"}:
        return _("Choose one of: %(choices)s.") % {"choices": ctx.get("expected", "")}
    if kind in {"list_type", "tuple_type", "set_type"}:
        return _("Send a list.")
    if kind in {"model_type", "dict_type", "model_attributes_type"}:
        return _("Send a JSON object.")
    if kind == "too_short" and ctx.get("min_length") == 1:
        return _("Choose at least one.")
    if kind == "value_error" and "error" in ctx:
        return str(ctx["error"])
    return str(error.get("msg", _("This value is not valid.")))


def _respond(
    api: NinjaAPI,
    request: HttpRequest,
    status: int,
    detail: str,
    errors: dict[str, list[str]] | None = None,
) -> HttpResponse:
    return api.create_response(request, error_body(detail, errors), status=status)


def install(api: NinjaAPI) -> None:
    """Register the API's exception handlers."""

    @api.exception_handler(PolicyError)
    def policy_error(request: HttpRequest, exc: PolicyError) -> HttpResponse:
        if isinstance(exc, NotFound):
            # The policy's own wording could differ per object; "not found" reveals nothing.
            return _respond(api, request, 404, _("Not found."))
        response = _respond(api, request, exc.status, str(exc))
        if isinstance(exc, NotAuthenticated):
            response["WWW-Authenticate"] = 'Bearer realm="chorus"'
        return response

    @api.exception_handler(RequestValidationError)
    def request_invalid(request: HttpRequest, exc: RequestValidationError) -> HttpResponse:
        errors: dict[str, list[str]] = {}
        for error in exc.errors:
            errors.setdefault(_field(error.get("loc", ())), []).append(_message(error))
        problems = "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in errors.items())
        return _respond(
            api,
            request,
            422,
            _("Some input is not valid. %(problems)s") % {"problems": problems},
            errors,
        )

    @api.exception_handler(InvalidPost)
    def post_invalid(request: HttpRequest, exc: InvalidPost) -> HttpResponse:
        errors: dict[str, list[str]] = {}
        for problem in exc.problems:
            errors.setdefault(problem.field, []).append(problem.message)
        body = error_body(str(exc), errors)
        body["problems"] = [p.as_dict() for p in exc.problems]
        return api.create_response(request, body, status=422)

    @api.exception_handler(ScheduleError)
    def schedule_invalid(request: HttpRequest, exc: ScheduleError) -> HttpResponse:
        body = error_body(exc.message, {exc.field: [exc.message]})
        body["problems"] = [exc.as_dict()]
        return api.create_response(request, body, status=422)

    @api.exception_handler(TransitionError)
    def wrong_state(request: HttpRequest, exc: TransitionError) -> HttpResponse:
        return _respond(api, request, 409, str(exc))

    @api.exception_handler(DjangoValidationError)
    def domain_invalid(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        if hasattr(exc, "error_dict"):
            errors = {field: [str(m) for m in msgs] for field, msgs in exc.message_dict.items()}
        else:
            errors = {NON_FIELD_ERRORS: [str(m) for m in exc.messages]}
        detail = " ".join(m for msgs in errors.values() for m in msgs)
        return _respond(api, request, 422, detail, errors)

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        cause = exc.__cause__
        if isinstance(cause, json.JSONDecodeError):
            return _respond(
                api,
                request,
                400,
                _(
                    "The request body is not valid JSON: %(problem)s at line %(line)d, "
                    "column %(column)d."
                )
                % {"problem": cause.msg, "line": cause.lineno, "column": cause.colno},
            )
        if isinstance(cause, UnicodeDecodeError):
            return _respond(
                api, request, 400, _("The request body is not valid JSON: it is not UTF-8 text.")
            )
        if exc.status_code == 400:
            return _respond(api, request, 400, _("The request body is not valid JSON."))
        return _respond(api, request, exc.status_code, str(exc))

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return _respond(api, request, 404, _("Not found."))

    @api.exception_handler(IntegrityError)
    def conflict(request: HttpRequest, exc: IntegrityError) -> HttpResponse:
        logger.info("API conflict: %s", exc)
        return _respond(
            api,
            request,
            409,
            _(
                "This change conflicts with existing data (for example, something with the "
                "same name or address already exists). Reload and try again."
            ),
        )

    @api.exception_handler(DataError)
    def unstorable(request: HttpRequest, exc: DataError) -> HttpResponse:
        # Input validation should stop this first; reaching here means a rule is missing.
        logger.warning("API input the database refused: %s", exc)
        return _respond(api, request, 422, _("A value is too long or out of range to be stored."))

    @api.exception_handler(Exception)
    def server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
        # Keep Django's reporting (logs, admin e-mails, the test client re-raising)
        # while still answering in the API's shape.
        logger.error("Unhandled error in %s %s", request.method, request.path, exc_info=exc)
        signals.got_request_exception.send(sender=None, request=request)
        return _respond(
            api,
            request,
            500,
            _(
                "Something went wrong on our side. It has been logged; please try again, and "
                "mention request id %(id)s if you report it."
            )
            % {"id": getattr(request, "request_id", "")},
        )


def json_method_not_allowed(api: NinjaAPI, view: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap a ninja URL view so that a wrong HTTP method is answered in the API's shape
    (ninja answers it with a bare text response)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        response = view(request, *args, **kwargs)
        if not isinstance(response, HttpResponseNotAllowed):
            return response
        allowed = response["Allow"]
        answer = _respond(
            api,
            request,
            405,
            _("This address does not accept %(method)s; it accepts %(allowed)s.")
            % {"method": request.method, "allowed": allowed},
        )
        answer["Allow"] = allowed
        return answer

    return wrapper
