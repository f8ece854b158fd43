"""Hostile text through the API: NUL bytes are refused with a 400 naming the field (never
a 500 from PostgreSQL); markup, right-to-left and combining characters and long strings
within the limits are stored exactly as sent."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from annotate.api.parsers import MAX_JSON_DEPTH
from annotate.models import Citation, Claim, ConfidenceNote, Source
from annotate.tests.api.conftest import client_for
from annotate.tests.hostile_text import Door, fields_written_through

HOSTILE = [
    '<script>alert(1)</script><img src=x onerror="alert(2)">',
    "\u202eevil\u202c \u0627\u0644\u062f\u0648\u062d\u0629 Z\u0351\u0364\u036b\u0301a\u0300\u0301",
    '=HYPERLINK("http://evil")' + "x" * 250,
]
CLAIM_FIELDS = ["statement", "attributed_to"]
# Each API field of a source or citation, with the model field it writes (the map in
# annotate/tests/hostile_text.py lists these as written through the API).
SOURCE_FIELDS = {"title": "title", "publisher": "publisher", "link": "url",
                 "archive_link": "archive_url"}  # fmt: skip
URL_FIELDS = {"link", "archive_link"}


def claim_body(**fields):
    return {"statement": "A statement", "kind": "factual", **fields}


def source_body(**fields):
    return {"link": "https://example.org/a", "title": "T", "reliability": "B", **fields}


def citation_body(claim, new_source=None, **fields):
    return {
        "claim": claim.pk, "stance": "supports", "credibility": 3,
        "new_source": source_body(**(new_source or {})), **fields,
    }  # fmt: skip


def test_the_source_and_citation_fields_tried_here_are_those_the_api_writes():
    written = {n for n in fields_written_through(Door.API) if ".Source." in n or ".Citation." in n}
    tried = {f"annotate.Source.{f}" for f in SOURCE_FIELDS.values()} | {"annotate.Citation.excerpt"}
    assert tried == written


@pytest.mark.parametrize("field", CLAIM_FIELDS)
def test_a_nul_byte_in_a_claim_field_is_a_400_naming_it(claim, field):
    response = client_for(claim.created_by).patch(
        f"/api/v1/claims/{claim.pk}/", {field: "before\x00after"}, format="json"
    )

    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]


@pytest.mark.parametrize("field", SOURCE_FIELDS)
def test_a_nul_byte_in_a_source_field_is_a_400_naming_it(claim, field):
    value = "https://example.org/\x00" if field in URL_FIELDS else "a\x00b"
    before = (Source.objects.count(), Citation.objects.count())
    client = client_for(claim.created_by)

    alone = client.post("/api/v1/sources/", source_body(**{field: value}), format="json")
    nested = client.post("/api/v1/citations/", citation_body(claim, {field: value}), format="json")

    assert alone.status_code == nested.status_code == 400
    assert field in alone.json()["error"]["fields"]
    assert field in nested.json()["error"]["fields"]["new_source"][0]
    assert (Source.objects.count(), Citation.objects.count()) == before


def test_a_nul_byte_in_an_excerpt_is_a_400_naming_it(claim):
    citation = claim.citations.get()
    client = client_for(claim.created_by)

    new = client.post("/api/v1/citations/", citation_body(claim, excerpt="a\x00b"), format="json")
    edit = client.patch(f"/api/v1/citations/{citation.pk}/", {"excerpt": "a\x00b"}, format="json")

    assert new.status_code == edit.status_code == 400
    assert "excerpt" in new.json()["error"]["fields"]
    assert "excerpt" in edit.json()["error"]["fields"]
    assert Citation.objects.get(pk=citation.pk).excerpt == citation.excerpt


def test_a_nul_byte_in_a_rationale_is_a_400_naming_it(claim, other_reviewer):
    response = client_for(other_reviewer).post(
        "/api/v1/confidence-notes/",
        {
            "claim": claim.pk,
            "likelihood": 3,
            "analytic_confidence": "moderate",
            "rationale": "a\x00b",
        },
        format="json",
    )

    assert response.status_code == 400
    assert "rationale" in response.json()["error"]["fields"]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_is_stored_exactly(claim, other_reviewer, text):
    author = client_for(claim.created_by)

    claim_answer = author.patch(
        f"/api/v1/claims/{claim.pk}/",
        {"statement": text, "attributed_to": text[:300]},
        format="json",
    )
    source_answer = author.post(
        "/api/v1/citations/",
        citation_body(claim, {"title": text, "publisher": text[:200]}, excerpt=text),
        format="json",
    )
    note_answer = client_for(other_reviewer).post(
        "/api/v1/confidence-notes/",
        {"claim": claim.pk, "likelihood": 3, "analytic_confidence": "moderate", "rationale": text},
        format="json",
    )

    assert (claim_answer.status_code, source_answer.status_code) == (200, 201)
    assert note_answer.status_code == 201
    stored = Claim.objects.get(pk=claim.pk)
    assert (stored.statement, stored.attributed_to) == (text, text[:300])
    citation = Citation.objects.get(pk=source_answer.json()["id"])
    assert (citation.source.title, citation.source.publisher) == (text, text[:200])
    assert citation.excerpt == text
    assert ConfidenceNote.objects.get(pk=note_answer.json()["id"]).rationale == text
    assert claim_answer.json()["statement"] == text


def test_a_statement_too_long_for_its_column_is_a_400(claim):
    response = client_for(claim.created_by).patch(
        f"/api/v1/claims/{claim.pk}/", {"attributed_to": "x" * 301}, format="json"
    )

    assert response.status_code == 400
    assert "attributed_to" in response.json()["error"]["fields"]


def test_json_nested_past_the_limit_is_a_400_naming_the_problem(claim):
    deep = "[" * 1000 + "1" + "]" * 1000

    response = client_for(claim.created_by).patch(
        f"/api/v1/claims/{claim.pk}/",
        f'{{"statement": {deep}}}',
        content_type="application/json",
    )

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "parse_error"
    assert f"deeper than {MAX_JSON_DEPTH} levels" in error["detail"]
    assert Claim.objects.get(pk=claim.pk).statement == claim.statement


def test_json_nested_within_the_limit_reaches_validation(claim):
    within = "[" * (MAX_JSON_DEPTH - 1) + '"x"' + "]" * (MAX_JSON_DEPTH - 1)

    response = client_for(claim.created_by).patch(
        f"/api/v1/claims/{claim.pk}/",
        f'{{"statement": {within}}}',
        content_type="application/json",
    )

    assert response.status_code == 400
    assert "statement" in response.json()["error"]["fields"]


def test_brackets_inside_strings_do_not_count_as_nesting(claim):
    text = "[{" * 5000

    response = client_for(claim.created_by).patch(
        f"/api/v1/claims/{claim.pk}/", {"statement": text}, format="json"
    )

    assert response.status_code == 200
    assert Claim.objects.get(pk=claim.pk).statement == text


@pytest.mark.parametrize("debug", [False, True])
def test_a_body_over_the_limit_is_a_413_in_the_error_shape(claim, settings, debug):
    settings.DEBUG = debug
    body = '{"statement": "' + "x" * (3 * 1024 * 1024) + '"}'

    response = client_for(claim.created_by).patch(
        f"/api/v1/claims/{claim.pk}/", body, content_type="application/json"
    )

    assert response.status_code == 413
    error = response.json()["error"]
    assert (error["status"], error["code"]) == (413, "too_large")
    assert f"{settings.DATA_UPLOAD_MAX_MEMORY_SIZE:,} bytes" in error["detail"]
    assert Claim.objects.get(pk=claim.pk).statement == claim.statement


def test_a_page_form_over_the_limit_is_a_plain_413(seed_article, reviewer, settings):
    settings.DEBUG = False
    client = Client()
    client.force_login(reviewer)

    response = client.post(
        reverse("annotate:claim_new", kwargs={"slug": seed_article.slug}),
        {"statement": "x" * (3 * 1024 * 1024)},
    )

    assert response.status_code == 413
    assert response["Content-Type"].startswith("text/html")
