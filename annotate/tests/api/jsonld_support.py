"""pyld, offline: a document loader that serves the W3C's context from the copy in
fixtures/standards and Claimdesk's from the app itself, and refuses any other address (a
test must never reach the network)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.test import Client
from pyld import jsonld

from annotate.api.exports import W3C_CONTEXT
from annotate.linked_data.context import MEDIA_TYPE, context_path

STANDARDS = Path(settings.BASE_DIR) / "fixtures" / "standards"
ANNO_JSONLD = STANDARDS / "anno.jsonld"


def offline_loader(app_origin: str = "http://testserver") -> Callable[[str, Any], dict]:
    served = {W3C_CONTEXT: json.loads(ANNO_JSONLD.read_text())}

    def load(url: str, options: Any = None) -> dict:
        if url == f"{app_origin}{context_path()}":
            response = Client().get(context_path())
            assert response.status_code == 200
            assert response["Content-Type"] == MEDIA_TYPE
            served[url] = response.json()
        if url not in served:
            raise jsonld.JsonLdError(f"Offline: no document for {url}", "loading document failed")
        return {"contextUrl": None, "documentUrl": url, "document": served[url]}

    return load


def expand(document: dict, loader: Callable[[str, Any], dict] | None = None) -> list:
    return jsonld.expand(document, {"documentLoader": loader or offline_loader()})
