"""Conditional requests. An object's ETag is its version (annotate.versioning), so the
ETag a client read is what it sends back in If-Match, and the service compares it under
the row lock. A list's ETag is a hash of the page it returns.

If-None-Match on a GET answers 304 when nothing changed; If-Match on PUT/PATCH/DELETE
answers 412 when someone changed the object meanwhile.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.http import HttpResponseNotModified
from django.utils.http import parse_etags, quote_etag
from rest_framework.request import Request
from rest_framework.response import Response

from annotate.versioning import version_of


def etag_of(obj: Any) -> str:
    return quote_etag(version_of(obj))


def expected_version(request: Request) -> str | None:
    """The version the client last read, from If-Match; None when it sent none (or `*`)."""
    header = request.headers.get("If-Match", "").strip()
    if not header or header == "*":
        return None
    etags = parse_etags(header)
    if not etags:
        return "unparseable"  # matches no version: the edit is refused as stale
    return etags[0].removeprefix("W/").strip('"')


class ConditionalMixin:
    """For viewsets: ETag on every 200 GET, 304 for a matching If-None-Match."""

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)  # type: ignore[misc]
        if (
            request.method in ("GET", "HEAD")
            and response.status_code == 200
            and isinstance(response, Response)
        ):
            if not response.has_header("ETag"):
                response.render()
                digest = hashlib.sha256(response.content).hexdigest()[:32]
                response["ETag"] = quote_etag(digest)
            wanted = parse_etags(request.headers.get("If-None-Match", ""))
            current = response["ETag"]
            if "*" in wanted or current in wanted or current.removeprefix("W/") in wanted:
                not_modified = HttpResponseNotModified()
                not_modified["ETag"] = current
                return not_modified
        return response
