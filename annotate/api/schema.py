"""OpenAPI post-processing: the API's description, and the error answers every operation
can give (drf-spectacular documents only successes), all in the one shape of errors.py."""

from __future__ import annotations

from typing import Any

from annotate.api.parsers import MAX_JSON_DEPTH

DESCRIPTION = """
Claims, sources and confidence notes on contested news reports: the data behind the
Claimdesk workspace, for researchers (read) and tools (write).

**Authentication.** Send `Authorization: Token <key>` (get a key at `/account/token/` or
from `manage.py issue_token USERNAME`); the browser's session also works, with the CSRF
token on writes. Anonymous requests get 401 unless the server sets
`CLAIMDESK_PUBLIC_READ=true`, which opens reading (never writing).

**Roles.** A *researcher* reads. A *reviewer* adds spans, claims, sources and their own
confidence note, and edits or deletes what they made. A *lead* may do everything, and only
a lead sets a claim's verdict. A confidence note is its reviewer's own judgement: a lead may
delete another reviewer's note but never rewrite it (403).

**Objects.** Every object has a stable `id`, an absolute `url` and a `version`. Times are
ISO 8601 in UTC. Lists are cursor-paginated (`next`/`previous` links; `page_size` capped),
and support filters and `ordering`; `updated_after` finds what changed since a sync.

**Text offsets.** `start`/`end` of a span are Unicode code points (not UTF-16 units) into
its paragraph's text, half-open: `paragraph.text[start:end] == quote`. Exports also give
positions into the revision's canonical text: its paragraphs joined by one blank line
(`"\\n\\n"`), counted the same way.

**Conditional requests.** Every object and list has an `ETag`; send it in `If-None-Match`
for a 304 when nothing changed. Send an object's ETag in `If-Match` with PUT, PATCH, DELETE
(or a verdict): if someone changed the object meanwhile the answer is 412 with the current
ETag, and nothing is written. If-Match may list several ETags (any one matches); weak
(`W/"…"`) tags never match a write (RFC 9110's strong comparison), and a malformed If-Match
is a 400 naming it. A claim's ETag moves when its sources or notes change.

**Errors** are JSON: `{"error": {"status", "code", "detail", "fields"}}`, where `fields`
maps each invalid field to its messages (validation errors only). A write takes only the
fields its request body lists: any other field (read-only, changed through another
endpoint, or unknown) is a 400 naming it and saying where it is changed, and nothing is
written. A JSON body nested deeper than MAX_JSON_DEPTH levels is a 400; a body over the
server's size limit (2.5 MiB) is a 413. Writes and reads are rate-limited per user: 429
with `Retry-After` (seconds). Any operation may answer 503 with `Retry-After` while the
database is unavailable (a restart, a failover): retry then.
""".strip()

ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["status", "code", "detail"],
            "properties": {
                "status": {"type": "integer"},
                "code": {"type": "string"},
                "detail": {"type": "string"},
                "fields": {
                    "type": "object",
                    "additionalProperties": {"type": "array", "items": {"type": "string"}},
                },
            },
        }
    },
}

ERRORS = {
    "400": "Invalid input; `fields` names each invalid field.",
    "401": "Not authenticated: send a token.",
    "403": "Your role may not do this.",
    "404": "No such object.",
    "409": "Something the request refers to changed meanwhile; fetch it and retry.",
    "412": "Changed since you read it (If-Match); the answer's ETag is current.",
    "413": "The request body is larger than the server's limit, which `detail` states.",
    "429": "Too many requests; retry after `Retry-After` seconds.",
    "503": (
        "The database is unavailable for a moment (restarting, say), or a write met a "
        "simultaneous change to the same objects; retry after `Retry-After` seconds."
    ),
}
WRITE_ONLY_ERRORS = {"409", "412", "413"}
RETRY_AFTER = {
    "Retry-After": {
        "description": "Seconds to wait before retrying.",
        "schema": {"type": "integer", "minimum": 0},
    }
}
RETRY_ERRORS = {"429", "503"}
# Path parameter examples name objects that exist on every instance: the seed report is
# imported at start-up (bin/start-web), and its first annotations have id 1. Swagger UI
# fills them in, and schemathesis's examples phase reaches real objects through them.
PATH_EXAMPLES = {"id": 1, "slug": "doha-strike-2025-09-09"}
METHODS = {"get", "post", "put", "patch", "delete"}


def _error_response(code: str, description: str) -> dict[str, Any]:
    response = {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }
    if code in RETRY_ERRORS:
        response["headers"] = RETRY_AFTER
    return response


def _refuse_other_fields(operation: dict[str, Any], schemas: dict[str, Any]) -> None:
    """A request body's other fields are refused (serializers.WriteSerializer): say so."""
    for media in operation.get("requestBody", {}).get("content", {}).values():
        ref = media.get("schema", {}).get("$ref", "")
        name = ref.removeprefix("#/components/schemas/")
        if name in schemas:
            schemas[name]["additionalProperties"] = False


def add_error_responses(result: dict[str, Any], generator: Any, **kwargs: Any) -> dict[str, Any]:
    result["info"]["description"] = DESCRIPTION.replace("MAX_JSON_DEPTH", str(MAX_JSON_DEPTH))
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Error"] = ERROR_SCHEMA
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if method not in METHODS:
                continue
            _refuse_other_fields(operation, schemas)
            for parameter in operation.get("parameters", []):
                if parameter["in"] != "path":
                    continue
                if parameter["name"] == "id":
                    # The URL pattern makes it a digit string; to a client it is an integer.
                    parameter["schema"] = {"type": "integer", "minimum": 1}
                if parameter["name"] in PATH_EXAMPLES:
                    parameter.setdefault("example", PATH_EXAMPLES[parameter["name"]])
            responses = operation.setdefault("responses", {})
            for code, description in ERRORS.items():
                if code in WRITE_ONLY_ERRORS and method == "get":
                    continue
                responses.setdefault(code, _error_response(code, description))
            if method == "get":
                responses.setdefault("304", {"description": "Not modified (If-None-Match)."})
    return result
