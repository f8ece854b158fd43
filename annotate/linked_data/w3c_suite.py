"""The W3C's own test suite for the Web Annotation data model, as a checker.

The suite (fixtures/standards/web-annotation-tests, a copy of w3c/web-annotation-tests)
states each rule of the model as a JSON Schema (draft-04) assertion with the result it
expects; a `.test` file lists the assertions of one test (`annotationMusts.test`: every
MUST of an annotation). Shared definitions live in `definitions/`, which assertions name
by file (`annotations.json#/definitions/...`), so every definition file is registered
under its own id. Formats (`date-time`, `uri`) are checked, as the suite's own runner does.

Our export's tests call it on what we publish; an import can call `annotation_failures`
on an annotation it receives.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from jsonschema import Draft4Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

SUITE = Path(settings.BASE_DIR) / "fixtures" / "standards" / "web-annotation-tests"
ANNOTATION_MUSTS = "annotations/annotationMusts.test"
COLLECTION_MUSTS = "collections/collectionMusts.test"
PAGE_MUSTS = "collections/pages/pageMusts.test"


@dataclass(frozen=True)
class Assertion:
    name: str  # its file, relative to the suite
    message: str  # the suite's errorMessage, said when it does not hold
    expect_valid: bool
    validator: Draft4Validator

    def holds_for(self, document: Any) -> bool:
        return self.validator.is_valid(document) == self.expect_valid


@dataclass(frozen=True)
class Failure:
    assertion: str
    message: str


@cache
def _registry() -> Registry:
    resources = []
    for path in sorted((SUITE / "definitions").glob("*.json")):
        schema = json.loads(path.read_text())
        resources.append(
            (schema["id"], Resource.from_contents(schema, default_specification=DRAFT4))
        )
    return Registry().with_resources(resources)


@cache
def assertions(test_file: str) -> tuple[Assertion, ...]:
    """The assertions a `.test` file lists, each with a validator ready to run."""
    listed = json.loads((SUITE / test_file).read_text())["assertions"]
    return tuple(_assertion(name) for name in listed)


def _assertion(name: str) -> Assertion:
    schema = json.loads((SUITE / name).read_text())
    Draft4Validator.check_schema(schema)
    validator = Draft4Validator(
        schema, registry=_registry(), format_checker=Draft4Validator.FORMAT_CHECKER
    )
    return Assertion(
        name=name,
        message=schema.get("errorMessage", schema.get("title", name)),
        expect_valid=schema.get("expectedResult", "valid") == "valid",
        validator=validator,
    )


def failures(document: Any, test_file: str) -> list[Failure]:
    """The assertions of `test_file` that `document` does not meet."""
    return [
        Failure(assertion.name, assertion.message)
        for assertion in assertions(test_file)
        if not assertion.holds_for(document)
    ]


def annotation_failures(annotation: dict, *, context: Any = None) -> list[Failure]:
    """The MUSTs of the model an annotation breaks. An annotation inside a collection has
    no @context of its own: it is under the collection's, given as `context`."""
    if context is not None and "@context" not in annotation:
        annotation = {"@context": context, **annotation}
    return failures(annotation, ANNOTATION_MUSTS)


def collection_failures(collection: dict) -> list[Failure]:
    """The MUSTs a collection breaks: the collection's own, its embedded first page's
    (the page is under the collection's @context), and each annotation's on that page."""
    found = failures(collection, COLLECTION_MUSTS)
    page = collection.get("first")
    if isinstance(page, dict):
        context = collection.get("@context")
        found += failures({"@context": context, **page}, PAGE_MUSTS)
        for item in _items(page):
            found += annotation_failures(item, context=context)
    return found


def _items(page: dict) -> Iterator[dict]:
    yield from (item for item in page.get("items", []) if isinstance(item, dict))
