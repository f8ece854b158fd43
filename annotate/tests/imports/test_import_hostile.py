"""Hostile text through a bulk import: every text field it writes keeps the payloads
exactly, and the report and the pages show them inert; hostile files are refused in
their error shape, never a 500."""

from __future__ import annotations

import orjson
import pytest

from annotate.models import Citation, Claim, ConfidenceNote, Source
from annotate.tests.hostile_text import (
    ALL_STORED,
    MARKUP_URL,
    SCRIPT_URLS,
    Door,
    assert_inert,
    fields_written_through,
)
from annotate.tests.imports.conftest import annotation, export, post_import

pytestmark = pytest.mark.django_db

QUOTE = "the strike specifically targeted the negotiation team"
FROM = "?from_article=doha-strike-2025-09-09"


def _hostile_line(annotated, lead) -> dict:
    line = orjson.loads(export(annotated, lead).splitlines()[1])
    line["statement"] = line["attributed_to"] = line["verdict_rationale"] = ALL_STORED
    line["created_by"] = ALL_STORED[:300]  # no such user: kept as the original creator
    citation = line["citations"][0]
    citation["excerpt"] = ALL_STORED
    citation["source"] |= {
        "link": MARKUP_URL,
        "title": ALL_STORED[:500],
        "publisher": ALL_STORED[:200],
        "archive_link": MARKUP_URL + "/archived",
    }
    line["notes"][0]["rationale"] = ALL_STORED
    line["relations"] = []
    return line


def test_every_field_the_import_writes_keeps_hostile_text_exactly(
    annotated, copy_article, lead, client
):
    line = _hostile_line(annotated, lead)

    response = post_import(copy_article, lead, orjson.dumps(line), query=FROM)

    assert response.status_code == 201, response.json()
    claim = Claim.objects.get(pk=response.json()["items"][0]["claim"])
    citation = Citation.objects.filter(claim=claim).get(excerpt=ALL_STORED)
    source = Source.objects.get(pk=citation.source_id)
    written = {
        "annotate.Claim.statement": claim.statement,
        "annotate.Claim.attributed_to": claim.attributed_to,
        "annotate.Claim.imported_creator": claim.imported_creator,
        "annotate.Claim.verdict_rationale": claim.verdict_rationale,
        "annotate.Citation.excerpt": citation.excerpt,
        "annotate.Source.url": source.url,
        "annotate.Source.title": source.title,
        "annotate.Source.publisher": source.publisher,
        "annotate.Source.archive_url": source.archive_url,
        "annotate.ConfidenceNote.rationale": ConfidenceNote.objects.filter(claim=claim)
        .exclude(rationale="")
        .get()
        .rationale,
    }
    # Relations: their rationale goes through relation_create, as in the API.
    assert sorted([*written, "annotate.ClaimRelation.rationale"]) == fields_written_through(
        Door.BULK
    )
    assert claim.statement == claim.attributed_to == ALL_STORED
    assert claim.imported_creator == ALL_STORED[:300]
    assert citation.excerpt == ALL_STORED
    assert source.title == ALL_STORED[:500]
    client.force_login(lead)
    page = client.get(f"/articles/{copy_article.slug}/claims/{claim.pk}/")
    assert page.status_code == 200
    assert_inert(page.content.decode())
    # The report echoes the text as data, as every API answer does: JSON, never HTML.
    assert response["Content-Type"] == "application/json"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("url", SCRIPT_URLS)
def test_a_script_address_as_a_source_is_refused_naming_the_item(
    annotated, copy_article, lead, url
):
    line = _hostile_line(annotated, lead)
    line["citations"][0]["source"]["link"] = url

    response = post_import(copy_article, lead, orjson.dumps(line), query=FROM)

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["items[0]"]
    assert not Claim.objects.filter(span__paragraph__revision__article=copy_article).exists()


@pytest.mark.parametrize(
    "body",
    [
        b"[" * 5000,
        b'{"type": "AnnotationCollection", "first": {"items": 7}}',
        b"[1, 2, 3]",
        b'"just a string"',
        b"\xff\xfe not utf-8",
        orjson.dumps([annotation("\x00")]),
        orjson.dumps([annotation(QUOTE) | {"target": {"source": 5, "selector": []}}]),
        orjson.dumps([annotation(QUOTE) | {"body": [{"purpose": "assessing", "likelihood": "x"}]}]),
    ],
    ids=[
        "deep",
        "items-not-list",
        "numbers",
        "string",
        "not-utf8",
        "nul",
        "odd-source",
        "bad-likelihood",
    ],
)
def test_a_hostile_file_is_a_400_in_the_error_shape(seed_article, reviewer, body):
    response = post_import(seed_article, reviewer, body, content_type="application/json")

    assert response.status_code == 400, response.content
    assert response.json()["error"]["status"] == 400
    assert not Claim.objects.exists()
