"""Exports round-trip: every claim appears once, and its positions re-select its exact
quote from the revision's canonical text (curly quotes, emoji and flags included)."""

from __future__ import annotations

import csv
import datetime
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotate import services
from annotate.api.exports import VERDICT_RATING
from annotate.models import Likelihood
from annotate.tests.api.conftest import client_for
from annotate.tests.factories import make_citation, make_claim, make_note
from articles.report_format import parse_report
from articles.services import article_import, canonical_text, revision_create

pytestmark = pytest.mark.django_db

REPORT = """---
title: A report with “smart” quotes and 👍🏽 emoji
slug: emoji-report
url: https://example.org/news/emoji-report
date: 2025-09-10
---
The minister 👍🏽 said “we were not told” before the strike.

=SUM(A1) is what a spreadsheet would run; “it was coordinated,” one official said.

Qatar 🇶🇦 condemned it; +1 said the crowd, -2 said @someone.
"""

QUOTES = [
    (1, "“we were not told”", ""),
    (2, "=SUM(A1) is what a spreadsheet would run", "supported"),
    (2, "“it was coordinated,” one official said.", "unverifiable"),
    (3, "Qatar 🇶🇦 condemned it", "mostly_unsupported"),
    (3, "+1 said the crowd", ""),
]


@pytest.fixture
def article(db):
    return article_import(report=parse_report(REPORT.encode()))


@pytest.fixture
def exported_claims(article, reviewer, other_reviewer, lead):
    paragraphs = {p.position: p for p in article.revisions.get().paragraphs.all()}
    claims = []
    for position, quote, verdict in QUOTES:
        claim = make_claim(paragraph=paragraphs[position], quote=quote, user=reviewer)
        make_citation(claim=claim, user=other_reviewer, stance="refutes", title="@home -x")
        make_note(claim=claim, likelihood=Likelihood.LIKELY, user=reviewer)
        make_note(claim=claim, likelihood=Likelihood.VERY_UNLIKELY, user=other_reviewer)
        if verdict:
            services.claim_set_verdict(claim=claim, verdict=verdict, rationale="=1+1", user=lead)
        claims.append(claim)
    return claims


def export(client, article, name, **params):
    response = client.get(f"/api/v1/articles/{article.slug}/export/{name}/", params)
    assert response.status_code == 200
    assert response.streaming
    return response, b"".join(response.streaming_content).decode("utf-8")


def canonical(article, number=1) -> str:
    revision = article.revisions.get(number=number)
    return canonical_text(
        list(revision.paragraphs.order_by("position").values_list("text", flat=True))
    )


def test_w3c_annotations_reselect_their_quotes(article, exported_claims, researcher):
    response, body = export(client_for(researcher), article, "w3c")

    assert response["Content-Type"] == (
        'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'
    )
    assert response["Content-Disposition"] == 'attachment; filename="emoji-report-w3c.jsonld"'
    collection = json.loads(body)
    assert collection["type"] == "AnnotationCollection"
    assert collection["total"] == len(QUOTES)
    page = collection["first"]
    assert page["type"] == "AnnotationPage"
    items = page["items"]
    assert [item["id"] for item in items] == [
        f"http://testserver/api/v1/claims/{claim.pk}/" for claim in exported_claims
    ]
    text = canonical(article)
    for item, (_, quote, verdict) in zip(items, QUOTES, strict=True):
        assert item["motivation"] == "assessing"
        assert item["creator"] == {"type": "Person", "nickname": "reviewer1"}
        assert item["target"]["source"] == "https://example.org/news/emoji-report"
        quote_selector, position = item["target"]["selector"]
        assert quote_selector["type"] == "TextQuoteSelector"
        assert quote_selector["exact"] == quote
        assert text[position["start"] : position["end"]] == quote
        assert (quote_selector["prefix"] + quote + quote_selector["suffix"]) in text
        purposes = [body["purpose"] for body in item["body"]]
        assert purposes.count("linking") == 1
        assert purposes.count("assessing") == 2 + bool(verdict)


def test_a_w3c_target_without_article_link_is_the_api_revision(claim, researcher):
    article = claim.span.paragraph.revision.article

    _, body = export(client_for(researcher), article, "w3c")

    target = json.loads(body)["first"]["items"][0]["target"]
    assert target["source"] == f"http://testserver/api/v1/articles/{article.slug}/"
    assert target["state"]["id"] == f"http://testserver/api/v1/articles/{article.slug}/?revision=1"
    start, end = target["selector"][1]["start"], target["selector"][1]["end"]
    assert canonical(article)[start:end] == claim.span.quote


def test_claimreview_lists_adjudicated_claims_with_their_rating(
    article, exported_claims, researcher, settings
):
    settings.CLAIMDESK_ORGANISATION = "Claimdesk Verification Desk"

    response, body = export(client_for(researcher), article, "claimreview")

    assert response["Content-Type"] == "application/ld+json"
    graph = json.loads(body)["@graph"]
    adjudicated = [c for c, (_, _, verdict) in zip(exported_claims, QUOTES, strict=True) if verdict]
    assert [r["url"] for r in graph] == [
        f"http://testserver/api/v1/claims/{c.pk}/" for c in adjudicated
    ]
    supported, unverifiable, mostly_unsupported = graph
    assert supported["reviewRating"] == {
        "@type": "Rating", "bestRating": 5, "worstRating": 1, "alternateName": "Supported",
        "ratingValue": 5,
    }  # fmt: skip
    assert "ratingValue" not in unverifiable["reviewRating"]
    assert unverifiable["reviewRating"]["alternateName"] == "Unverifiable"
    assert mostly_unsupported["reviewRating"]["ratingValue"] == 2
    assert supported["author"] == {"@type": "Organization", "name": "Claimdesk Verification Desk"}
    assert supported["itemReviewed"]["appearance"]["url"] == "https://example.org/news/emoji-report"
    assert supported["itemReviewed"]["text"] == QUOTES[1][1]
    assert supported["claimReviewed"] == QUOTES[1][1]
    assert len(supported["datePublished"]) == 10
    assert set(VERDICT_RATING) == {"supported", "mostly_supported", "mixed",
                                   "mostly_unsupported", "unsupported", "unverifiable"}  # fmt: skip


def test_csv_has_a_row_per_claim_and_defuses_formulas(article, exported_claims, researcher):
    response, body = export(client_for(researcher), article, "csv")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="emoji-report.csv"'
    rows = list(csv.DictReader(io.StringIO(body)))
    assert [int(row["id"]) for row in rows] == [c.pk for c in exported_claims]
    text = canonical(article)
    for row, (_, quote, _) in zip(rows, QUOTES, strict=True):
        assert row["quote"] == ("'" + quote if quote[0] in "=+-@" else quote)
        assert text[int(row["text_start"]) : int(row["text_end"])] == quote
        assert (row["sources"], row["refuting"], row["notes"]) == ("1", "1", "2")
        assert (row["lowest"], row["median"], row["highest"]) == ("2", "3.5", "5")
        assert row["disputed"] == "true"
    assert rows[1]["verdict_rationale"] == "'=1+1"
    assert rows[0]["verdict_rationale"] == ""


def test_jsonl_has_one_nested_claim_per_line(article, exported_claims, researcher):
    response, body = export(client_for(researcher), article, "jsonl")

    assert response["Content-Type"] == "application/x-ndjson"
    lines = [json.loads(line) for line in body.splitlines()]
    assert [line["id"] for line in lines] == [c.pk for c in exported_claims]
    text = canonical(article)
    for line, (_, quote, _) in zip(lines, QUOTES, strict=True):
        assert line["span"]["quote"] == quote
        assert text[line["text_start"] : line["text_end"]] == quote
        assert len(line["notes"]) == 2
        citation = line["citations"][0]
        assert citation["source"]["title"] == "@home -x"  # JSON needs no defusing
        assert (citation["stance"], citation["credibility"]) == ("refutes", 3)


@pytest.fixture
def cited(exported_claims, other_reviewer):
    """The supported claim also cites a dated, archived source as supporting it."""
    claim = exported_claims[1]
    make_citation(
        claim=claim, user=other_reviewer, stance="supports", credibility=1,
        url="https://news.example/wire", title="Wire", publisher="Wire Service",
        published_on=datetime.date(2025, 9, 9), reliability="A",
        archive_url="https://web.archive.org/web/2025/https://news.example/wire",
        excerpt="Confirmed by two officials.",
    )  # fmt: skip
    return claim


def test_w3c_citations_are_specific_resources_with_purpose(article, cited, researcher):
    _, body = export(client_for(researcher), article, "w3c")
    item = next(i for i in json.loads(body)["first"]["items"] if i["id"].endswith(f"/{cited.pk}/"))

    linked = [b for b in item["body"] if b["type"] == "SpecificResource"]
    assert [b["purpose"] for b in linked] == ["linking", "linking"]
    wire = next(b for b in linked if b["stance"] == "supports")
    citation = cited.citations.get(stance="supports")
    assert wire == {
        "id": f"http://testserver/api/v1/citations/{citation.pk}/",
        "type": "SpecificResource",
        "purpose": "linking",
        "source": {
            "id": "https://news.example/wire",
            "type": "Text",
            "title": "Wire",
            "publisher": "Wire Service",
            "published": "2025-09-09",
            "archived": "https://web.archive.org/web/2025/https://news.example/wire",
        },
        "stance": "supports",
        "reliability": "A",
        "credibility": 1,
        "creator": {"type": "Person", "nickname": "reviewer2"},
        "created": wire["created"],
        "modified": wire["modified"],
        "selector": {"type": "TextQuoteSelector", "exact": "Confirmed by two officials."},
    }


def test_claimreview_appearance_holds_the_supporting_sources(article, cited, researcher):
    _, body = export(client_for(researcher), article, "claimreview")
    review = next(r for r in json.loads(body)["@graph"] if r["url"].endswith(f"/{cited.pk}/"))

    report, wire = review["itemReviewed"]["appearance"]
    assert report["url"] == "https://example.org/news/emoji-report"
    assert wire == {
        "@type": "CreativeWork",
        "url": "https://news.example/wire",
        "headline": "Wire",
        "publisher": {"@type": "Organization", "name": "Wire Service"},
        "datePublished": "2025-09-09",
        "archivedAt": "https://web.archive.org/web/2025/https://news.example/wire",
    }
    assert [c["headline"] for c in review["citation"]] == ["@home -x", "Wire"]  # by stance


def test_csv_and_jsonl_carry_every_citation_field(article, cited, researcher):
    client = client_for(researcher)
    rows = list(csv.DictReader(io.StringIO(export(client, article, "csv")[1])))
    row = next(r for r in rows if int(r["id"]) == cited.pk)
    cells = json.loads(row["citations"])
    assert cells[1] == {  # ordered by stance: refutes, supports
        "id": cited.citations.get(stance="supports").pk,
        "link": "https://news.example/wire",
        "title": "Wire",
        "publisher": "Wire Service",
        "published_on": "2025-09-09",
        "archive_link": "https://web.archive.org/web/2025/https://news.example/wire",
        "reliability": "A",
        "stance": "supports",
        "credibility": 1,
        "excerpt": "Confirmed by two officials.",
        "added_by": "reviewer2",
    }
    lines = [json.loads(x) for x in export(client, article, "jsonl")[1].splitlines()]
    line = next(x for x in lines if x["id"] == cited.pk)
    api = client.get(f"/api/v1/claims/{cited.pk}/").json()
    assert line["citations"] == api["citations"]


def test_each_claim_is_positioned_in_its_own_revision(article, exported_claims, researcher):
    first = article.revisions.get()
    texts = list(first.paragraphs.order_by("position").values_list("text", flat=True))
    revision_create(article=article, paragraphs=["A new opening paragraph.", *texts])
    new_paragraph = article.revisions.get(number=2).paragraphs.get(position=2)
    newer = make_claim(
        paragraph=new_paragraph, quote="“we were not told”", user=exported_claims[0].created_by
    )
    client = client_for(researcher)

    lines = [json.loads(line) for line in export(client, article, "jsonl")[1].splitlines()]
    only_2 = [
        json.loads(line) for line in export(client, article, "jsonl", revision=2)[1].splitlines()
    ]

    assert [line["id"] for line in lines] == [c.pk for c in exported_claims] + [newer.pk]
    assert lines[0]["text_start"] == lines[-1]["text_start"] - len("A new opening paragraph.\n\n")
    assert (
        canonical(article, 2)[lines[-1]["text_start"] : lines[-1]["text_end"]]
        == "“we were not told”"
    )
    assert [line["id"] for line in only_2] == [newer.pk]


def test_export_errors_are_json(article, researcher, anonymous):
    client = client_for(researcher)

    missing = client.get(f"/api/v1/articles/{article.slug}/export/csv/", {"revision": 9})
    unauthenticated = anonymous.get(f"/api/v1/articles/{article.slug}/export/w3c/")

    assert (missing.status_code, missing["Content-Type"]) == (404, "application/json")
    assert (unauthenticated.status_code, unauthenticated["Content-Type"]) == (
        401, "application/json"
    )  # fmt: skip


def test_an_export_reads_claims_only_as_the_stream_is_consumed(
    article, exported_claims, researcher
):
    response = client_for(researcher).get(f"/api/v1/articles/{article.slug}/export/csv/")
    stream = iter(response.streaming_content)

    with CaptureQueriesContext(connection) as before_rows:
        header = next(stream)
    with CaptureQueriesContext(connection) as first_row:
        next(stream)

    assert header.startswith(b"id,url,article,")
    assert len(before_rows) == 0
    assert len(first_row) > 0  # the first chunk of claims, with its prefetches
    assert len(b"".join(stream).splitlines()) == len(QUOTES) - 1
