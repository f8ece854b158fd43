"""An export imported into a fresh copy of the same report exports the same again."""

from __future__ import annotations

from typing import Any

import orjson
import pytest

from annotate.linked_data.w3c_suite import annotation_failures, collection_failures
from annotate.models import Claim, SpanAnchor
from annotate.tests.imports.conftest import annotation, export, post_import

pytestmark = pytest.mark.django_db
# The seed report has no address of its own: its W3C targets name its API address, and
# the copy is told whose copy it is.
FROM = "from_article=doha-strike-2025-09-09"

# What necessarily differs between the two exports: assigned by the instance on writing.
# Sources are shared by the workspace, so the copy cites the very same ones: kept.
ASSIGNED = {"id", "url", "created_at", "updated_at", "version", "verdict_at", "claim"}


def _comparable(line: dict[str, Any], position: dict[int, int]) -> dict[str, Any]:
    """The claim without what is assigned, its links naming claims by their place in
    the export (ids differ), and the article by its text, which is the same report."""
    data = {k: v for k, v in line.items() if k not in ASSIGNED and k != "article"}
    data["span"] = {k: v for k, v in line["span"].items() if k not in ASSIGNED | {"paragraph"}}
    data["placement"] = {k: v for k, v in line["placement"].items() if k != "paragraph"}
    data["citations"] = [
        {k: v for k, v in c.items() if k not in ASSIGNED} | {"source": c["source"]}
        for c in line["citations"]
    ]
    data["notes"] = [{k: v for k, v in n.items() if k not in ASSIGNED} for n in line["notes"]]
    data["relations"] = [
        {
            "type": r["type"],
            "rationale": r["rationale"],
            "from_claim": position[r["from_claim"]],
            "to_claim": position[r["to_claim"]],
        }
        for r in line["relations"]
    ]
    return data


def _lines(body: bytes) -> list[dict[str, Any]]:
    lines = [orjson.loads(line) for line in body.splitlines()]
    position = {line["id"]: n for n, line in enumerate(lines)}
    return [_comparable(line, position) for line in lines]


def test_a_json_lines_export_imported_into_a_copy_exports_the_same(annotated, copy_article, lead):
    first = export(annotated, lead)

    response = post_import(copy_article, lead, first, query=f"?{FROM}")

    assert response.status_code == 201, response.json()
    again = export(copy_article, lead)
    assert _lines(again) == _lines(first)
    assert len(_lines(first)) == 2  # the fixture's claims, so the comparison compared them


def test_a_w3c_export_imported_into_a_copy_places_everything_exactly(annotated, copy_article, lead):
    body = export(annotated, lead, "w3c")

    response = post_import(
        copy_article, lead, body, content_type="application/ld+json", query=f"?dry_run=true&{FROM}"
    )
    assert response.status_code == 200, response.json()
    report = response.json()
    assert (report["exact"], report["fuzzy"], report["ambiguous"], report["refused"]) == (
        3, 0, 0, 0,
    )  # fmt: skip

    response = post_import(
        copy_article, lead, body, content_type="application/ld+json", query=f"?{FROM}"
    )

    assert response.status_code == 201, response.json()
    assert not SpanAnchor.objects.filter(revision__article=copy_article).exists()
    again = export(copy_article, lead)
    assert _lines(again) == _lines(export(annotated, lead))


def test_a_w3c_round_trip_keeps_every_claims_content(annotated, copy_article, lead):
    body = export(annotated, lead, "w3c")

    response = post_import(
        copy_article, lead, body, content_type="application/json", query=f"?{FROM}"
    )

    assert response.status_code == 201, response.json()

    copies = Claim.objects.filter(span__paragraph__revision__article=copy_article)
    originals = Claim.objects.filter(span__paragraph__revision__article=annotated)
    fields = ("span__quote", "statement", "kind", "attributed_to", "verdict", "created_by")
    assert sorted(copies.values_list(*fields)) == sorted(originals.values_list(*fields))


def test_the_w3c_annotations_imported_here_pass_the_w3c_suite(annotated, lead):
    """What the import is tested with, our export and an annotator's annotation, meets
    every MUST of the W3C's own suite (the import reads more leniently than that)."""
    collection = orjson.loads(export(annotated, lead, "w3c"))
    sent = [annotation("the strike specifically targeted the negotiation team")]

    assert collection_failures(collection) == []
    assert [annotation_failures(item | {"id": "urn:uuid:1"}) for item in sent] == [[]]
