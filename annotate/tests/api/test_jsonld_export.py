"""The W3C export is linked data that keeps everything: expanded by a JSON-LD processor
(pyld) with the W3C's context and Claimdesk's own, every value of the compact document is
still there, so no term we add is dropped for want of a definition."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest

from annotate.api.exports import W3C_CONTEXT
from annotate.linked_data.context import VOCABULARY
from annotate.tests.api.conftest import client_for
from annotate.tests.api.dataset_world import HOSTILE, annotated_seed
from annotate.tests.api.jsonld_support import expand

pytestmark = pytest.mark.django_db

OURS = "http://testserver/ns/claimdesk-v1.jsonld"


def w3c_export(client, slug: str) -> dict:
    response = client.get(f"/api/v1/articles/{slug}/export/w3c/")
    assert response.status_code == 200
    return json.loads(b"".join(response.streaming_content))


def compact_leaves(node: Any) -> Iterator[Any]:
    """Every scalar of the compact document but its @context. A null is JSON-LD's "no
    value" (a note whose analytic confidence was never judged): nothing to keep."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key != "@context":
                yield from compact_leaves(value)
    elif isinstance(node, list):
        for item in node:
            yield from compact_leaves(item)
    elif node is not None:
        yield node


def expanded_leaves(node: Any) -> Iterator[Any]:
    if isinstance(node, dict):
        for value in node.values():
            yield from expanded_leaves(value)
    elif isinstance(node, list):
        for item in node:
            yield from expanded_leaves(item)
    else:
        yield node


def missing_after_expansion(compact: dict, expanded: list) -> list[Any]:
    """The compact values with no counterpart in the expanded form, counted with
    repetition (a dropped key loses its values even when the same value is kept
    elsewhere). A term used as a value (`"type": "Person"`, `"purpose": "assessing"`)
    counts as kept when its IRI under the document's context is there."""
    available = Counter(expanded_leaves(expanded))
    missing = []
    for value in compact_leaves(compact):
        for candidate in (value, _term_iri(compact["@context"], value)):
            if candidate is not None and available[candidate] > 0:
                available[candidate] -= 1
                break
        else:
            missing.append(value)
    return missing


def _term_iri(context: Any, value: Any) -> str | None:
    """What the context makes of `value` as a term (a type name, a motivation), or None."""
    if not isinstance(value, str):
        return None
    key = (json.dumps(context), value)
    if key not in _TERMS:
        probe = expand({"@context": context, "@type": value})
        _TERMS[key] = probe[0]["@type"][0] if probe else None
    return _TERMS[key]


_TERMS: dict[tuple[str, str], str | None] = {}


@pytest.fixture
def world(seed_article, reviewer, other_reviewer, lead):
    return annotated_seed(
        seed_article, reviewer=reviewer, other_reviewer=other_reviewer, lead=lead, text=HOSTILE
    )


def test_the_w3c_export_names_the_w3c_context_and_ours(world, researcher):
    collection = w3c_export(client_for(researcher), world.article.slug)

    assert collection["@context"] == [W3C_CONTEXT, OURS]


def test_every_value_of_the_w3c_export_survives_expansion(world, lead):
    collection = w3c_export(client_for(lead), world.article.slug)

    expanded = expand(collection)

    assert missing_after_expansion(collection, expanded) == []
    # The walk is not vacuous: the export holds every kind of body and link.
    items = collection["first"]["items"]
    assert len(items) == len(world.claims) + 2
    notes = [b for item in items for b in item["body"] if "likelihood" in b]
    assert len(notes) == 2


def test_without_our_context_the_added_terms_are_dropped(world, lead):
    """The walk's own check: with the W3C's context alone, our terms are lost."""
    collection = w3c_export(client_for(lead), world.article.slug)
    collection["@context"] = W3C_CONTEXT

    missing = missing_after_expansion(collection, expand(collection))

    # Labels, stances, a source's date and a link's ends: values of terms we add.
    assert {"Likely (55–80%)", "supports", "refutes", "2025-09-09"} <= set(missing)
    assert f"http://testserver/api/v1/claims/{world.conflicting.pk}/" in missing


def test_added_terms_expand_to_claimdesk_vocabulary_iris(world, lead):
    collection = w3c_export(client_for(lead), world.article.slug)

    expanded = expand(collection)
    keys = set(_expanded_keys(expanded))

    ours = {key.removeprefix(VOCABULARY) for key in keys if key.startswith(VOCABULARY)}
    assert ours == {
        "likelihood", "likelihoodLabel", "analyticConfidence", "analyticConfidenceLabel",
        "stance", "reliability", "credibility", "fromClaim", "toClaim", "importedCreator",
    }  # fmt: skip
    assert {
        "http://purl.org/dc/terms/title",
        "http://purl.org/dc/terms/publisher",
        "http://purl.org/dc/terms/issued",
        "http://purl.org/dc/terms/description",
        "http://schema.org/archivedAt",
    } <= keys
    # The W3C's context leaves out the motivation `assessing`; ours gives its oa: IRI.
    assert "http://www.w3.org/ns/oa#assessing" in set(expanded_leaves(expanded))


def _expanded_keys(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield key
            yield from _expanded_keys(value)
    elif isinstance(node, list):
        for item in node:
            yield from _expanded_keys(item)


def test_the_context_is_public_cacheable_linked_data(client):
    response = client.get("/ns/claimdesk-v1.jsonld")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "public" in response["Cache-Control"]
    assert response.json()["@context"]["claimdesk"] == VOCABULARY
    again = client.get("/ns/claimdesk-v1.jsonld", headers={"If-None-Match": response["ETag"]})
    assert again.status_code == 304
    assert client.post("/ns/claimdesk-v1.jsonld").status_code == 405
