"""One shape for every error under /api/, whatever raised it:

    {"error": {"status": 400, "code": "invalid", "detail": "...", "fields": {"quote": ["..."]}}}

`fields` appears only on validation errors. Domain errors from annotate.services are
mapped here (ValidationError -> 400, PermissionDenied -> 403, StaleEdit -> 412, a body
past DATA_UPLOAD_MAX_MEMORY_SIZE -> 413), so views stay free of try/except.
"""

from __future__ import annotations

import logging
from contextlib import suppress
from typing import Any

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ObjectDoesNotExist, RequestDataTooBig
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError, InterfaceError, OperationalError
from django.http import Http404, HttpRequest, JsonResponse
from django.urls import Resolver404, resolve
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from annotate.versioning import StaleEdit, version_of

logger = logging.getLogger("annotate.api")


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "Something this request refers to changed meanwhile; fetch it and retry."
    default_code = "conflict"


class DatabaseUnavailable(exceptions.APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = "The database is unavailable for a moment; retry."
    default_code = "unavailable"

    def __init__(self) -> None:
        super().__init__()
        self.wait = 5  # seconds, sent as Retry-After: a restart takes a few


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "too_large"

    def __init__(self) -> None:
        super().__init__(too_large_detail())


def too_large_detail() -> str:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return f"The request body is larger than the limit of {limit:,} bytes."


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = "The object was changed since you read it; fetch it again and retry."
    default_code = "stale"


def error_body(
    status_code: int, code: str, detail: str, fields: dict[str, list[str]] | None = None
) -> dict[str, Any]:
    error: dict[str, Any] = {"status": status_code, "code": code, "detail": detail}
    if fields is not None:
        error["fields"] = fields
    return {"error": error}


def _as_messages(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(item) for item in value]
    if isinstance(value, dict):
        # A nested serializer's errors: flatten to "inner: message".
        return [f"{key}: {msg}" for key, inner in value.items() for msg in _as_messages(inner)]
    return [str(value)]


def _fields(detail: Any) -> dict[str, list[str]]:
    if isinstance(detail, dict):
        return {str(key): _as_messages(value) for key, value in detail.items()}
    return {"non_field_errors": _as_messages(detail)}


def _translate(exc: Exception) -> Exception:
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            fields = dict(exc.message_dict)
            if NON_FIELD_ERRORS in fields:  # a model-wide rule (a constraint, say)
                fields["non_field_errors"] = fields.pop(NON_FIELD_ERRORS)
            return exceptions.ValidationError(fields)
        return exceptions.ValidationError({"non_field_errors": exc.messages})
    if isinstance(exc, RequestDataTooBig):
        # Django's own answer is a 400 (a SuspiciousOperation), but only when it raises
        # outside a view: read through DRF's request.data it would be a 500.
        return PayloadTooLarge()
    if isinstance(exc, StaleEdit):
        stale = PreconditionFailed()
        stale.current_version = version_of(exc.current)  # type: ignore[attr-defined]
        return stale
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied(str(exc) or None)
    if isinstance(exc, Http404):
        return exceptions.NotFound()
    if isinstance(exc, OperationalError | InterfaceError):
        # The database is down or restarting (deadlock victims were retried before this):
        # a 503 the client can retry, not a 500 that looks like a bug.
        logger.warning("Database unavailable: %s", exc)
        return DatabaseUnavailable()
    if isinstance(exc, DataError):
        # A value the database cannot hold (a date or number out of its range) that slipped
        # past validation, in a crafted cursor, say: the request's fault, not the server's.
        return exceptions.ValidationError({"non_field_errors": ["A value is out of range."]})
    if isinstance(exc, IntegrityError):
        # The services validate first, so only a race gets here: a source added to a
        # claim that another request deleted in the same instant, say.
        return Conflict()
    if isinstance(exc, ObjectDoesNotExist):
        # Read a moment ago, deleted by someone else before a service locked its row.
        return exceptions.NotFound("It was deleted meanwhile.")
    return exc


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    exc = _translate(exc)
    response = drf_exception_handler(exc, context)
    if response is None:
        if settings.DEBUG:
            return None  # let Django show the traceback page while developing
        logger.error("Unhandled API error", exc_info=exc)
        set_rollback()
        return Response(
            error_body(500, "server_error", "Something went wrong on our side."),
            status=status.HTTP_500_INTERNAL_SERVER_ERROR,
        )
    assert isinstance(exc, exceptions.APIException)
    if isinstance(exc, exceptions.ValidationError):
        body = error_body(
            response.status_code, "invalid", "The request has invalid fields.", _fields(exc.detail)
        )
    else:
        codes = exc.get_codes()
        code = codes if isinstance(codes, str) else "error"
        body = error_body(response.status_code, code, str(exc.detail))
        if isinstance(exc, PreconditionFailed):
            response["ETag"] = f'"{exc.current_version}"'  # type: ignore[attr-defined]
    response.data = body
    return response


@csrf_exempt  # it changes nothing; CSRF's HTML refusal would break the JSON-only promise
def api_not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
    """Unknown URLs under /api/ answer in JSON too, never with an HTML page.

    This catch-all also means APPEND_SLASH never redirects under /api/ (a redirected POST
    would lose its body), so the answer names the address that was probably meant.
    """
    detail = "No API endpoint at this address."
    if not request.path.endswith("/"):
        with suppress(Resolver404):
            if resolve(request.path + "/").func is not api_not_found:
                detail += f" Did you mean {request.path}/ (with a slash)?"
    return JsonResponse(error_body(404, "not_found", detail), status=404)
