"""A claim's placement in the API after a new revision, and exports after re-anchoring:
every claim once, orphans included, each positioned in the revision it cites."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotate.reanchoring.reanchor import revision_import, span_anchor_confirm
from annotate.tests.api.conftest import client_for
from annotate.tests.factories import make_claim
from annotate.tests.revised_seed import CASUALTIES, SEED, claims_across_a_revision
from articles.services import canonical_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def revised(seed_article, reviewer):
    claims = claims_across_a_revision(seed_article, reviewer)
    current = {p.position: p for p in seed_article.revisions.get(number=2).paragraphs.all()}
    claims["new"] = make_claim(paragraph=current[2], quote="Hamas officials", user=reviewer)
    return claims


def _claim(client, claim, **params):
    response = client.get(f"/api/v1/claims/{claim.pk}/", params)
    assert response.status_code == 200
    return response.json()


def test_a_claim_gives_its_placement_in_the_current_revision(seed_article, revised, researcher):
    client = client_for(researcher)
    current = {p.position: p for p in seed_article.revisions.get(number=2).paragraphs.all()}

    moved = _claim(client, revised["moved"])
    fuzzy = _claim(client, revised["fuzzy"])
    orphan = _claim(client, revised["orphan"])
    new = _claim(client, revised["new"])

    assert moved["revision"] == 1  # the revision it was made on, as before
    assert moved["span"]["paragraph_position"] == 3
    assert moved["placement"] == {
        "revision": 2,
        "status": "moved",
        "needs_review": False,
        "paragraph": current[4].pk,
        "paragraph_position": 4,
        "start": 0,
        "end": 15,
        "quote": "Loud explosions",
    }
    assert (fuzzy["placement"]["status"], fuzzy["placement"]["needs_review"]) == ("fuzzy", True)
    assert fuzzy["placement"]["quote"] == "The attack came just as Hamas"
    assert orphan["placement"] == {
        "revision": 2,
        "status": "orphaned",
        "needs_review": True,
        "paragraph": None,
        "paragraph_position": None,
        "start": None,
        "end": None,
        "quote": None,
    }
    assert new["placement"]["status"] == "made_here"
    assert new["placement"]["quote"] == "Hamas officials"
    for data in (moved, fuzzy, new):
        placement = data["placement"]
        text = current[placement["paragraph_position"]].text
        assert text[placement["start"] : placement["end"]] == placement["quote"]


def test_placement_revision_gives_an_older_placement(seed_article, revised, researcher):
    client = client_for(researcher)

    orphan = _claim(client, revised["orphan"], placement_revision=1)
    new = _claim(client, revised["new"], placement_revision=1)
    missing = _claim(client, revised["moved"], placement_revision=7)

    assert orphan["placement"]["status"] == "made_here"
    assert orphan["placement"]["quote"] == CASUALTIES
    assert new["placement"] is None  # made after revision 1
    assert missing["placement"] is None


@pytest.mark.parametrize("value", ["0", "x", "-1"])
def test_a_bad_placement_revision_is_a_400_naming_it(revised, researcher, value):
    response = client_for(researcher).get("/api/v1/claims/", {"placement_revision": value})

    assert response.status_code == 400
    assert "placement_revision" in json.dumps(response.json())


def test_a_confirmed_placement_no_longer_needs_review_and_the_version_moves(
    revised, researcher, lead
):
    client = client_for(researcher)
    before = client.get(f"/api/v1/claims/{revised['fuzzy'].pk}/")
    anchor = revised["fuzzy"].span.anchors.get(revision__number=2)

    span_anchor_confirm(anchor=anchor, user=lead)

    after = client.get(
        f"/api/v1/claims/{revised['fuzzy'].pk}/", headers={"If-None-Match": before["ETag"]}
    )
    assert after.status_code == 200
    assert after.json()["placement"]["needs_review"] is False


def test_importing_a_revision_moves_the_claims_version(seed_article, researcher, reviewer):
    paragraph = seed_article.revisions.get().paragraphs.get(position=3)
    claim = make_claim(paragraph=paragraph, quote="Loud explosions", user=reviewer)
    client = client_for(researcher)
    before = client.get(f"/api/v1/claims/{claim.pk}/")

    revision_import(article=seed_article, paragraphs=["A new standfirst.", *SEED])

    after = client.get(f"/api/v1/claims/{claim.pk}/", headers={"If-None-Match": before["ETag"]})
    assert after.status_code == 200
    assert after.json()["placement"]["paragraph_position"] == 4


def test_listing_claims_with_placements_takes_constant_queries(
    seed_article, revised, researcher, reviewer
):
    client = client_for(researcher)
    with CaptureQueriesContext(connection) as few:
        assert client.get("/api/v1/claims/").status_code == 200
    current = seed_article.revisions.get(number=2).paragraphs.get(position=4)
    for word in current.text.split()[:20]:
        make_claim(paragraph=current, quote=word, user=reviewer)
    with CaptureQueriesContext(connection) as many:
        assert client.get("/api/v1/claims/").status_code == 200

    assert len(many) == len(few)


def _canonical(article, number) -> str:
    revision = article.revisions.get(number=number)
    return canonical_text(list(revision.paragraphs.values_list("text", flat=True)))


def _export(client, article, name) -> str:
    response = client.get(f"/api/v1/articles/{article.slug}/export/{name}/")
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode("utf-8")


def test_exports_keep_every_claim_once_in_the_revision_it_cites(seed_article, revised, researcher):
    client = client_for(researcher)
    expected = sorted(c.pk for c in revised.values())
    texts = {1: _canonical(seed_article, 1), 2: _canonical(seed_article, 2)}

    lines = [json.loads(line) for line in _export(client, seed_article, "jsonl").splitlines()]
    rows = list(csv.DictReader(io.StringIO(_export(client, seed_article, "csv"))))
    items = json.loads(_export(client, seed_article, "w3c"))["first"]["items"]

    assert sorted(line["id"] for line in lines) == expected
    assert sorted(int(row["id"]) for row in rows) == expected
    assert sorted(int(item["id"].rstrip("/").rsplit("/", 1)[1]) for item in items) == expected
    for line in lines:
        text = texts[line["revision"]]
        assert text[line["text_start"] : line["text_end"]] == line["span"]["quote"]
    for row in rows:
        text = texts[int(row["revision"])]
        assert text[int(row["text_start"]) : int(row["text_end"])] == row["quote"]
    orphan = next(line for line in lines if line["id"] == revised["orphan"].pk)
    assert (orphan["revision"], orphan["span"]["quote"]) == (1, CASUALTIES)
    assert orphan["placement"]["status"] == "orphaned"
    for item in items:
        quote_selector, position = item["target"]["selector"]
        text = texts[int(item["target"]["state"]["id"].rsplit("?revision=", 1)[1])]
        assert text[position["start"] : position["end"]] == quote_selector["exact"]
