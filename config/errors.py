"""The last resort for errors no view answered: a database that is down or restarting is a
503 with a JSON body (clients and load balancers retry), not a 500 page; a request body
too large to read is a 413, not Django's 400."""

from __future__ import annotations

import sys

from django.core.exceptions import RequestDataTooBig
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import defaults

from annotate.api.errors import error_body, too_large_detail

RETRY_AFTER_SECONDS = 5


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: Django calls it inside the `except` that caught the error."""
    error = sys.exc_info()[1]
    if isinstance(error, OperationalError | InterfaceError):
        body = error_body(503, "unavailable", "The database is unavailable for a moment; retry.")
        return JsonResponse(body, status=503, headers={"Retry-After": str(RETRY_AFTER_SECONDS)})
    if request.path.startswith("/api/"):
        return JsonResponse(
            error_body(500, "server_error", "Something went wrong on our side."), status=500
        )
    return defaults.server_error(request)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler400, for what Django refuses before a view runs (a SuspiciousOperation)."""
    if not isinstance(exception, RequestDataTooBig):
        return defaults.bad_request(request, exception)
    if request.path.startswith("/api/"):
        return JsonResponse(error_body(413, "too_large", too_large_detail()), status=413)
    return HttpResponse(too_large_detail(), status=413, content_type="text/html; charset=utf-8")
