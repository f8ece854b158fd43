"""Claimdesk's JSON-LD context, served at a versioned address that never changes meaning.

The W3C export lists it after the Web Annotation context (`[W3C_CONTEXT, ours]`), so a
JSON-LD processor keeps every term we add (a note's likelihood, a citation's stance, a
link's ends...) instead of dropping it on expansion. Terms take a Dublin Core or
schema.org IRI where one means the same thing, and one in Claimdesk's own vocabulary
(VOCABULARY) otherwise. The vocabulary's IRIs are the same on every installation, so data
exported by two newsrooms merge; the context document itself is served by each
installation, as processors fetch it from the address the export names.

A change that alters what a term means is a new context file and a new version in the
address (`claimdesk-v2.jsonld`); v1 stays served as it is for the exports already out.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

VOCABULARY = "https://claimdesk.example/ns#"
CONTEXT_FILE = Path(__file__).with_name("claimdesk-v1.jsonld")
MEDIA_TYPE = "application/ld+json"
URL_NAME = "jsonld-context-v1"

# Read once: the file is part of the release, like code.
_CONTEXT = CONTEXT_FILE.read_bytes()
_ETAG = f'"{hashlib.sha256(_CONTEXT).hexdigest()[:32]}"'


def context_path() -> str:
    """The context's address on this server, for an export's @context."""
    return reverse(URL_NAME)


@require_safe
def context_v1(request: HttpRequest) -> HttpResponse:
    """The context document, to anyone: a JSON-LD processor fetches it without our token,
    and a browser-side one (the JSON-LD Playground) from another origin."""
    if request.headers.get("If-None-Match") == _ETAG:
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(_CONTEXT, content_type=MEDIA_TYPE)
    response["ETag"] = _ETAG
    response["Access-Control-Allow-Origin"] = "*"
    # A day: a versioned address keeps its meaning, but a fix to a typo should reach caches.
    patch_cache_control(response, public=True, max_age=86400)
    return response
