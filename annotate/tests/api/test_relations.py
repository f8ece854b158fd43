"""/api/v1/relations/: links between claims through the API (the rules are annotate.
relations'), their filters, pagination and ETags, and a claim's `relations` both ways."""

from __future__ import annotations

import pytest

from annotate import relations
from annotate.tests.api.conftest import client_for
from annotate.tests.factories import make_claim
from annotate.tests.relation_helpers import CONFLICTING, NOT_KILLED, UNKNOWN, seed_claims
from articles.report_format import parse_report
from articles.services import article_import

pytestmark = pytest.mark.django_db

URL = "/api/v1/relations/"


@pytest.fixture
def trio(seed_article, reviewer):
    return seed_claims(seed_article, reviewer, NOT_KILLED, CONFLICTING, UNKNOWN)


def _fields(response) -> dict:
    return response.json()["error"]["fields"]


def test_a_reviewer_links_two_claims_and_both_claims_show_it(trio, reviewer, researcher):
    a, b, _ = trio
    client = client_for(reviewer)
    before = client.get(f"/api/v1/claims/{a.pk}/")["ETag"]
    body = {"from_claim": b.pk, "to_claim": a.pk, "type": "contradicts", "rationale": "Both?"}
    response = client.post(URL, body, format="json")

    assert response.status_code == 201
    created = response.json()
    assert response["ETag"] == f'"{created["version"]}"'
    # Symmetric: stored with the lower id first.
    assert (created["from_claim"], created["to_claim"]) == (a.pk, b.pk)
    assert (created["type"], created["rationale"], created["created_by"]) == (
        "contradicts",
        "Both?",
        "reviewer1",
    )
    assert created["article"] == "doha-strike-2025-09-09"

    reader = client_for(researcher)
    for claim in (a, b):
        shown = reader.get(f"/api/v1/claims/{claim.pk}/").json()["relations"]
        assert [(r["id"], r["from_claim"], r["to_claim"]) for r in shown] == [
            (created["id"], a.pk, b.pk)
        ]
        assert shown[0]["url"].endswith(f"/api/v1/relations/{created['id']}/")
    listed = reader.get(f"/api/v1/claims/?article={a.span.paragraph.revision.article.slug}")
    by_id = {c["id"]: c for c in listed.json()["results"]}
    assert by_id[b.pk]["relations"][0]["id"] == created["id"]
    assert client.get(f"/api/v1/claims/{a.pk}/")["ETag"] != before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (lambda a, b, f: {"from_claim": a.pk, "to_claim": a.pk, "type": "same_as"}, "to_claim"),
        (lambda a, b, f: {"from_claim": a.pk, "to_claim": f.pk, "type": "same_as"}, "to_claim"),
        (lambda a, b, f: {"from_claim": a.pk, "to_claim": b.pk, "type": "refutes"}, "type"),
        (lambda a, b, f: {"from_claim": a.pk, "to_claim": 0, "type": "part_of"}, "to_claim"),
        (lambda a, b, f: {"to_claim": b.pk, "type": "part_of"}, "from_claim"),
        (lambda a, b, f: {"from_claim": a.pk, "to_claim": b.pk, "type": "same_as", "x": 1}, "x"),
    ],
    ids=["self", "other article", "type", "no such claim", "missing", "unknown field"],
)
def test_a_refused_link_is_a_400_naming_the_field(trio, reviewer, body, field):
    other = article_import(
        report=parse_report(b"---\ntitle: Other\nslug: other\n---\nAnother text.\n")
    )
    foreign = make_claim(
        paragraph=other.revisions.get().paragraphs.get(), quote="Another text.", user=reviewer
    )
    a, b, _ = trio
    response = client_for(reviewer).post(URL, body(a, b, foreign), format="json")
    assert response.status_code == 400
    assert list(_fields(response)) == [field]
    assert client_for(reviewer).get(URL).json()["results"] == []


def test_the_same_link_the_other_way_round_is_a_duplicate(trio, reviewer, other_reviewer):
    a, b, _ = trio
    relations.relation_create(from_claim=a, to_claim=b, type="corroborates", user=reviewer)
    body = {"from_claim": b.pk, "to_claim": a.pk, "type": "corroborates"}
    response = client_for(other_reviewer).post(URL, body, format="json")
    assert response.status_code == 400
    assert list(_fields(response)) == ["to_claim"]


def test_filters_by_article_claim_at_either_end_and_type(trio, reviewer):
    a, b, c = trio
    ab = relations.relation_create(from_claim=a, to_claim=b, type="contradicts", user=reviewer)
    cb = relations.relation_create(from_claim=c, to_claim=b, type="part_of", user=reviewer)
    client = client_for(reviewer)

    def ids(query: str) -> list[int]:
        response = client.get(f"{URL}?{query}")
        assert response.status_code == 200, response.content
        return [r["id"] for r in response.json()["results"]]

    assert ids("article=doha-strike-2025-09-09") == [ab.pk, cb.pk]
    assert ids("article=other") == []
    assert ids(f"claim={b.pk}") == [ab.pk, cb.pk]
    assert ids(f"claim={c.pk}") == [cb.pk]
    assert ids("type=part_of") == [cb.pk]
    assert ids(f"claim={a.pk}&type=part_of") == []
    assert client.get(f"{URL}?type=refutes").status_code == 400
    assert client.get(f"{URL}?claim=x").status_code == 400


def test_lists_are_cursor_paginated(trio, reviewer):
    a, b, _c = trio
    made = [
        relations.relation_create(from_claim=a, to_claim=b, type=t, user=reviewer).pk
        for t in ("contradicts", "corroborates", "same_as")
    ]
    client = client_for(reviewer)
    page = client.get(f"{URL}?page_size=2").json()
    assert "cursor=" in page["next"]
    rest = client.get(page["next"]).json()
    assert [r["id"] for r in page["results"] + rest["results"]] == made
    assert rest["next"] is None


def test_etags_if_match_and_ownership(trio, reviewer, other_reviewer, lead):
    a, b, _ = trio
    relation = relations.relation_create(from_claim=a, to_claim=b, type="same_as", user=reviewer)
    url = f"{URL}{relation.pk}/"
    client = client_for(reviewer)
    first = client.get(url)
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304

    edited = client.patch(
        url, {"rationale": "Reworded"}, format="json", HTTP_IF_MATCH=first["ETag"]
    )
    assert edited.status_code == 200
    assert edited.json()["rationale"] == "Reworded"
    stale = client.delete(url, HTTP_IF_MATCH=first["ETag"])
    assert stale.status_code == 412

    refused = client.patch(url, {"type": "contradicts"}, format="json")
    assert list(_fields(refused)) == ["type"]
    assert client_for(other_reviewer).delete(url).status_code == 403
    assert client_for(lead).delete(url, HTTP_IF_MATCH=edited["ETag"]).status_code == 204
    assert client.get(url).status_code == 404


def test_a_claims_history_lists_its_links(trio, reviewer):
    a, b, _ = trio
    relations.relation_create(from_claim=a, to_claim=b, type="contradicts", user=reviewer)
    entries = client_for(reviewer).get(f"/api/v1/claims/{b.pk}/history/").json()
    entries = entries["results"] if isinstance(entries, dict) else entries
    linked = [e for e in entries if e["object_type"] == "relation"]
    assert [(e["action"], e["who"]) for e in linked] == [("created", "reviewer1")]


def test_a_nul_byte_in_a_rationale_is_a_400_naming_it_and_hostile_text_is_kept(trio, reviewer):
    a, b, _ = trio
    client = client_for(reviewer)
    body = {"from_claim": a.pk, "to_claim": b.pk, "type": "same_as", "rationale": "a\x00b"}
    refused = client.post(URL, body, format="json")
    assert refused.status_code == 400
    assert list(_fields(refused)) == ["rationale"]

    hostile = '<script>alert(1)</script>\u202eevil =HYPERLINK("x")'
    made = client.post(URL, {**body, "rationale": hostile}, format="json").json()
    assert made["rationale"] == hostile
    url = f"{URL}{made['id']}/"
    refused = client.patch(url, {"rationale": "x\x00"}, format="json")
    assert list(_fields(refused)) == ["rationale"]
    assert client.get(url).json()["rationale"] == hostile
