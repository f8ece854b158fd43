"""Conditional requests (RFC 9110 §13). An object's ETag is its version
(annotate.versioning), so the ETag a client read is what it sends back in If-Match, and
the service compares it under the row lock. A list's ETag is a hash of the page it returns.

If-None-Match on a GET answers 304 when nothing changed (weak comparison: `W/"v"` matches
`"v"`); If-Match on PUT/PATCH/DELETE/POST answers 412 when someone changed the object
meanwhile. If-Match uses strong comparison, as the RFC requires: any strong tag of the
list may match, a weak tag never does (a weak tag does not promise the exact bytes that a
write would overwrite). A malformed If-Match is a 400 naming the header rather than a 412:
a client that sends a broken header is told so, not that someone else changed the object.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any, NamedTuple

from django.http import HttpResponseNotModified
from django.utils.http import quote_etag
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from annotate.versioning import version_of

# entity-tag = [ "W/" ] DQUOTE *etagc DQUOTE, etagc = %x21 / %x23-7E / obs-text (§8.8.3);
# a list separates them by commas, with optional white space and empty elements (§5.6.1).
_TAG = r'(W/)?"([\x21\x23-\x7e\x80-\xff]*)"'
_LIST = re.compile(rf"[ \t,]*{_TAG}(?:[ \t]*,[ \t,]*{_TAG})*[ \t,]*")
_ONE_TAG = re.compile(_TAG)


class EntityTag(NamedTuple):
    weak: bool
    opaque: str  # the tag without W/ and quotes: a version, for our objects


def entity_tags(header: str) -> list[EntityTag] | None:
    """The tags of an If-Match or If-None-Match list; None when it is not one."""
    if _LIST.fullmatch(header) is None:
        return None
    return [EntityTag(bool(m[1]), m[2]) for m in _ONE_TAG.finditer(header)]


def etag_of(obj: Any) -> str:
    return quote_etag(version_of(obj))


def expected_version(request: Request) -> frozenset[str] | None:
    """The versions an edit may overwrite, from If-Match: None when the client sent none
    (or `*`, "whatever is current"); else the strong tags it listed, any one of which may
    match (empty when it listed only weak tags: the edit is refused as stale)."""
    header = request.headers.get("If-Match", "").strip()
    if not header or header == "*":
        return None
    tags = entity_tags(header)
    if tags is None:
        raise ValidationError(
            {
                "If-Match": [
                    'Not a list of entity tags: send the ETag as read, quotes included ("…"), '
                    "or several separated by commas, or *."
                ]
            }
        )
    return frozenset(tag.opaque for tag in tags if not tag.weak)


def _none_match(header: str, etag: str) -> bool:
    """Whether If-None-Match lists the response's ETag, by weak comparison."""
    if header.strip() == "*":
        return True
    current = entity_tags(etag)
    wanted = entity_tags(header) or []  # a malformed header matches nothing: a full answer
    return bool(current) and any(tag.opaque == current[0].opaque for tag in wanted)


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
            current = response["ETag"]
            if _none_match(request.headers.get("If-None-Match", ""), current):
                not_modified = HttpResponseNotModified()
                not_modified["ETag"] = current
                return not_modified
        return response
