"""Exports of hostile text: the text survives as data (valid JSON, exact strings), nothing
in a JSON export can close the <script> element a page embeds JSON-LD in, CSV cells a
spreadsheet would run as formulas are defused, and every response is a download that
browsers do not sniff."""

from __future__ import annotations

import csv
import io
import json

import pytest

from annotate import relations, services
from annotate.api.exports import FORMATS, FORMULA_STARTS
from annotate.sources import normalise_url
from annotate.tests.api.conftest import client_for
from annotate.tests.factories import UserFactory, make_claim
from annotate.tests.hostile_text import ALL_STORED, MARKUP_URL, fitted
from annotate.tests.hostile_world import hostile_world

TITLE = fitted("articles.Article.title")
ATTRIBUTED = fitted("annotate.Claim.attributed_to")


@pytest.fixture
def world(reviewer, other_reviewer, lead):
    return hostile_world(author=reviewer, other=other_reviewer, lead=lead)


def export(user, name: str) -> tuple:
    response = client_for(user).get(f"/api/v1/articles/hostile/export/{name}/")
    assert response.status_code == 200
    return response, b"".join(response.streaming_content).decode("utf-8")


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_an_export_is_a_utf8_download_that_browsers_do_not_sniff(world, lead, name):
    response, _ = export(lead, name)

    assert response["Content-Type"] == FORMATS[name].media_type
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith('attachment; filename="hostile')
    if response["Content-Type"].startswith("text/"):
        assert response["Content-Type"].endswith("; charset=utf-8")
    # JSON has no charset parameter: it is UTF-8 by definition (RFC 8259, section 8.1).


@pytest.mark.parametrize("name", ["w3c", "claimreview", "jsonl"])
def test_json_exports_cannot_close_the_script_element_they_are_embedded_in(world, lead, name):
    _, body = export(lead, name)

    assert "<" not in body
    assert ">" not in body


def test_w3c_keeps_hostile_text_as_exact_strings(world, lead):
    _, body = export(lead, "w3c")

    collection = json.loads(body)
    (annotation,) = collection["first"]["items"]
    values = [b.get("value") for b in annotation["body"]]
    (source,) = [b for b in annotation["body"] if b["type"] == "SpecificResource"]
    assert collection["label"] == TITLE
    assert values[:3] == [ALL_STORED, "factual", ATTRIBUTED]
    assert ALL_STORED in values[3:]  # the note's rationale
    assert (source["source"]["id"], source["source"]["title"]) == (
        normalise_url(MARKUP_URL),
        ALL_STORED,
    )
    assert (source["source"]["archived"], source["selector"]["exact"]) == (MARKUP_URL, ALL_STORED)
    assert annotation["target"]["source"] == MARKUP_URL
    assert annotation["target"]["selector"][0]["exact"] == ALL_STORED


def test_claimreview_keeps_hostile_text_as_exact_strings(world, lead):
    _, body = export(lead, "claimreview")

    (review,) = json.loads(body)["@graph"]
    assert (review["claimReviewed"], review["reviewBody"]) == (ALL_STORED, ALL_STORED)
    assert review["itemReviewed"]["text"] == ALL_STORED
    assert review["itemReviewed"]["author"]["name"] == ATTRIBUTED
    report, cited = review["itemReviewed"]["appearance"]
    assert report == {"@type": "CreativeWork", "url": MARKUP_URL, "headline": TITLE}
    assert (cited["url"], cited["headline"]) == (normalise_url(MARKUP_URL), ALL_STORED)
    assert cited["archivedAt"] == MARKUP_URL


def test_jsonl_keeps_hostile_text_as_exact_strings(world, lead):
    _, body = export(lead, "jsonl")

    (line,) = [json.loads(text) for text in body.splitlines()]
    assert (line["statement"], line["attributed_to"]) == (ALL_STORED, ATTRIBUTED)
    assert line["verdict_rationale"] == ALL_STORED
    assert [note["rationale"] for note in line["notes"]] == [ALL_STORED]


def csv_rows(user) -> list[dict]:
    _, body = export(user, "csv")
    return list(csv.DictReader(io.StringIO(body, newline="")))


def test_csv_keeps_hostile_text_exactly(world, lead):
    (row,) = csv_rows(lead)

    assert (row["quote"], row["statement"], row["verdict_rationale"]) == (ALL_STORED,) * 3
    assert row["attributed_to"] == ATTRIBUTED


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_csv_cells_a_spreadsheet_would_run_are_prefixed_with_a_quote(world, lead, start):
    formula = f"{start}1+1"
    services.claim_update(claim=world.claim, user=lead, statement=formula, attributed_to=formula)

    (row,) = csv_rows(lead)

    assert (row["statement"], row["attributed_to"]) == (f"'{formula}",) * 2


def test_a_verdict_rationale_that_is_a_formula_is_defused(world, lead):
    services.claim_set_verdict(claim=world.claim, verdict="mixed", rationale="@SUM(A1)", user=lead)

    (row,) = csv_rows(lead)

    assert row["verdict_rationale"] == "'@SUM(A1)"


def test_a_username_that_looks_like_a_formula_is_defused(world, lead):
    # Usernames may hold + - @ . _ : "-1+1" is a valid one.
    services.claim_set_verdict(
        claim=world.claim, verdict="supported", rationale="Checked.", user=UserFactory(
            username="-1+1", is_superuser=True
        ),
    )  # fmt: skip

    (row,) = csv_rows(lead)

    assert row["verdict_by"] == "'-1+1"


def test_a_links_hostile_rationale_stays_exact_in_every_export(world, reviewer, lead):
    current = world.article.revisions.get(number=2).paragraphs.get(position=2)
    other = make_claim(paragraph=current, quote=ALL_STORED, statement="Other", user=reviewer)
    link = relations.relation_create(
        from_claim=world.claim, to_claim=other, type="contradicts", rationale=ALL_STORED,
        user=reviewer,
    )  # fmt: skip

    items = json.loads(export(lead, "w3c")[1])["first"]["items"]
    (annotation,) = [item for item in items if item["motivation"] == "linking"]
    assert [b["value"] for b in annotation["body"]] == ["contradicts", ALL_STORED]
    lines = [json.loads(text) for text in export(lead, "jsonl")[1].splitlines()]
    assert [r["rationale"] for line in lines for r in line["relations"]] == [ALL_STORED] * 2
    rows = {int(row["id"]): row for row in csv_rows(lead)}
    assert rows[world.claim.pk]["relations"] == f"contradicts:{other.pk}"
    assert link.rationale == ALL_STORED
