"""The last resort for errors no view answered: a database that is down or restarting is a
503 with a JSON body (clients and load balancers retry), not a 500 page."""

from __future__ import annotations

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import defaults

from annotate.api.errors import error_body

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
