"""The OpenAPI document is valid and warning-free, and the docs page loads nothing from
outside the app."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import call_command

from annotate.tests.api.conftest import client_for

pytestmark = pytest.mark.django_db


def test_the_schema_validates_without_warnings(tmp_path):
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"),
        stdout=StringIO(), stderr=StringIO(),
    )  # fmt: skip

    schema = (tmp_path / "schema.yaml").read_text()
    assert "/api/v1/claims/{id}/verdict/:" in schema
    assert "/api/v1/articles/{slug}/export/w3c/:" in schema


def test_every_operation_documents_its_errors(anonymous):
    schema = anonymous.get("/api/schema/?format=json").json()

    for path, item in schema["paths"].items():
        for method, operation in item.items():
            assert {"400", "401", "403", "404", "429", "503"} <= set(operation["responses"]), (
                method,
                path,
            )


# Bodies that are whole documents in a format of their own, not fields of ours: a bulk
# import's W3C annotations may carry any annotator's extensions (annotate.imports.w3c
# says what it keeps and what it refuses).
DOCUMENT_BODIES = {"articles_import"}


def test_request_bodies_admit_no_other_fields_and_writes_document_413(anonymous):
    schema = anonymous.get("/api/schema/?format=json").json()
    components = schema["components"]["schemas"]

    bodies = set()
    for item in schema["paths"].values():
        for method, operation in item.items():
            if method != "get":
                assert "413" in operation["responses"], (method, operation["operationId"])
            for media in operation.get("requestBody", {}).get("content", {}).values():
                if operation["operationId"] in DOCUMENT_BODIES:
                    continue
                bodies.add(media["schema"]["$ref"].rsplit("/", 1)[1])
    assert {
        "ClaimUpdateRequest",
        "VerdictRequest",
        "CitationCreateRequest",
        "SourceWriteRequest",
    } <= bodies
    assert all(components[name]["additionalProperties"] is False for name in bodies)


def test_every_operation_documents_retry_after_on_429_and_503(anonymous):
    schema = anonymous.get("/api/schema/?format=json").json()

    retry_after = {
        (method, path, code): operation["responses"][code]["headers"]["Retry-After"]["schema"]
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        for code in ("429", "503")
    }
    assert len(retry_after) == 2 * sum(len(item) for item in schema["paths"].values())
    assert set(map(str, retry_after.values())) == {str({"type": "integer", "minimum": 0})}
    assert ("get", "/api/v1/claims/", "503") in retry_after


def test_swagger_ui_is_served_from_the_app_alone(researcher):
    page = client_for(researcher).get("/api/docs/").content.decode()

    assert "swagger-ui" in page
    external = re.findall(r'(?:src|href)="(https?://[^"]+)"', page)
    assert external == []
    assert "cdn" not in page
