"""Claims through the API: created with their span in one transaction, edited, judged."""

from __future__ import annotations

import pytest

from annotate.models import Claim, Likelihood, Span
from annotate.tests.api.conftest import client_for
from annotate.tests.factories import make_note
from annotate.tests.revised_seed import claims_across_a_revision
from articles.services import revision_create

pytestmark = pytest.mark.django_db

QUOTE = "Khalil al-Hayya, the leader of Hamas’s negotiating team, was not killed in the strike"


@pytest.fixture
def p5(seed_article):
    return seed_article.revisions.get().paragraphs.get(position=5)


def new_claim_body(paragraph, /, **overrides):
    start = paragraph.text.index(QUOTE)
    body = {
        "paragraph": paragraph.pk,
        "start": start,
        "end": start + len(QUOTE),
        "quote": QUOTE,
        "statement": "Al-Hayya survived the strike",
        "kind": "attribution",
        "attributed_to": "A senior Hamas source",
    }
    return body | overrides


def test_a_claim_is_created_with_its_span_in_one_request(p5, reviewer):
    response = client_for(reviewer).post("/api/v1/claims/", new_claim_body(p5), format="json")

    assert response.status_code == 201
    data = response.json()
    claim = Claim.objects.get(pk=data["id"])
    assert data["url"] == f"http://testserver/api/v1/claims/{claim.pk}/"
    assert data["span"]["quote"] == QUOTE  # with its curly apostrophe intact
    assert p5.text[data["span"]["start"] : data["span"]["end"]] == QUOTE
    assert (
        data["span"]["prefix"]
        == p5.text[max(0, data["span"]["start"] - 32) : data["span"]["start"]]
    )
    assert data["created_by"] == "reviewer1"
    # Independent review: no summary before the author's own note, not even "no notes".
    assert data["confidence"] is None
    assert response["ETag"] == f'"{data["version"]}"'


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"quote": QUOTE.replace("’", "'")}, "quote"),  # a straight apostrophe
        ({"end": 10_000}, "end"),
        ({"start": 50, "end": 40}, "end"),
        ({"start": -1}, "start"),
        ({"paragraph": 999_999}, "paragraph"),
        ({"statement": "   "}, "statement"),
        ({"kind": "rumour"}, "kind"),
    ],
)
def test_bad_span_or_claim_is_refused_naming_the_field_and_nothing_is_written(
    p5, reviewer, overrides, field
):
    response = client_for(reviewer).post(
        "/api/v1/claims/", new_claim_body(p5, **overrides), format="json"
    )

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == [field]
    assert not Span.objects.exists()
    assert not Claim.objects.exists()


def test_a_paragraph_of_an_old_revision_is_refused(seed_article, p5, reviewer):
    texts = list(seed_article.revisions.get().paragraphs.values_list("text", flat=True))
    revision_create(article=seed_article, paragraphs=[*texts, "A correction was appended."])

    response = client_for(reviewer).post("/api/v1/claims/", new_claim_body(p5), format="json")

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {
        "paragraph": ["Belongs to an old revision; annotate the current text."]
    }
    assert not Span.objects.exists()


@pytest.mark.parametrize("placed", ["orphan", "moved"])
def test_a_claim_on_a_span_of_an_old_revision_is_refused(seed_article, reviewer, lead, placed):
    old_span = claims_across_a_revision(seed_article, reviewer)[placed].span
    before = Claim.objects.count()

    response = client_for(lead).post(
        "/api/v1/claims/", {"span": old_span.pk, "statement": "Said again"}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {
        "span": ["Belongs to an old revision; annotate the current text."]
    }
    assert Claim.objects.count() == before


def test_a_second_claim_can_be_stated_on_an_existing_span(claim, other_reviewer):
    response = client_for(other_reviewer).post(
        "/api/v1/claims/",
        {"span": claim.span_id, "statement": "Hamas says Israel aimed at its negotiators"},
        format="json",
    )

    assert response.status_code == 201
    assert response.json()["span"]["id"] == claim.span_id
    assert response.json()["kind"] == "factual"


def test_span_and_new_text_together_are_refused(claim, p5, reviewer):
    body = new_claim_body(p5) | {"span": claim.span_id}

    response = client_for(reviewer).post("/api/v1/claims/", body, format="json")

    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"paragraph", "start", "end", "quote"}


def test_an_author_edits_their_claim(claim, reviewer):
    response = client_for(reviewer).patch(
        f"/api/v1/claims/{claim.pk}/", {"kind": "characterization"}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["kind"] == "characterization"
    assert Claim.objects.get(pk=claim.pk).kind == "characterization"


def test_deleting_the_last_claim_deletes_its_span(claim, reviewer):
    response = client_for(reviewer).delete(f"/api/v1/claims/{claim.pk}/")

    assert response.status_code == 204
    assert not Span.objects.exists()


def test_a_lead_sets_and_withdraws_a_verdict(claim, lead):
    client = client_for(lead)
    url = f"/api/v1/claims/{claim.pk}/verdict/"

    set_ = client.post(url, {"verdict": "mostly_supported", "rationale": " Two wires. "})
    assert set_.status_code == 200
    assert set_.json()["verdict"] == "mostly_supported"
    assert set_.json()["verdict_rationale"] == "Two wires."
    assert set_.json()["verdict_by"] == "lead"

    withdrawn = client.post(url, {"verdict": "", "rationale": "Premature."})
    assert withdrawn.json()["verdict"] is None
    assert withdrawn.json()["verdict_by"] is None


def test_an_unknown_verdict_is_refused(claim, lead):
    response = client_for(lead).post(f"/api/v1/claims/{claim.pk}/verdict/", {"verdict": "true"})

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["verdict"]


def test_notes_are_summarised_and_embedded_on_request(claim, other_reviewer, lead, researcher):
    make_note(claim=claim, likelihood=Likelihood.UNLIKELY, user=other_reviewer)
    make_note(claim=claim, likelihood=Likelihood.VERY_LIKELY, user=lead)
    client = client_for(researcher)

    plain = client.get(f"/api/v1/claims/{claim.pk}/").json()
    expanded = client.get(f"/api/v1/claims/{claim.pk}/?expand=notes").json()

    assert plain["confidence"] == {
        "count": 3, "lowest": 3, "median": 5, "highest": 6, "disputed": True
    }  # fmt: skip
    assert plain["notes"] is None
    assert [note["reviewer"] for note in expanded["notes"]] == ["reviewer1", "reviewer2", "lead"]
    assert expanded["notes"][1]["likelihood_label"] == "Unlikely (20–45%)"


def test_an_unknown_expansion_is_refused(claim, researcher):
    response = client_for(researcher).get("/api/v1/claims/?expand=sources")

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["expand"]


def test_a_confidence_note_can_be_recorded_and_revised_by_its_reviewer(claim, other_reviewer):
    client = client_for(other_reviewer)

    created = client.post(
        "/api/v1/confidence-notes/",
        {"claim": claim.pk, "likelihood": 2, "analytic_confidence": "moderate"},
    )
    revised = client.patch(
        f"/api/v1/confidence-notes/{created.json()['id']}/", {"rationale": "Denied since."}
    )

    assert created.status_code == 201
    assert revised.status_code == 200
    assert revised.json()["likelihood"] == 2
    assert revised.json()["rationale"] == "Denied since."


NEW_SOURCE = {
    "link": "https://www.aljazeera.com/news/2025/9/9/live",
    "title": "Al Jazeera live",
    "publisher": "Al Jazeera",
    "published_on": "2025-09-09",
    "archive_link": "https://web.archive.org/web/2025/https://www.aljazeera.com/news",
    "reliability": "B",
}


def test_a_citation_of_a_new_source_records_the_source(claim, other_reviewer):
    response = client_for(other_reviewer).post(
        "/api/v1/citations/",
        {"claim": claim.pk, "stance": "supports", "credibility": 2, "new_source": NEW_SOURCE},
        format="json",
    )

    assert response.status_code == 201
    body = response.json()
    assert (body["stance"], body["credibility"], body["added_by"]) == ("supports", 2, "reviewer2")
    source = body["source"]
    assert {key: source[key] for key in NEW_SOURCE} == NEW_SOURCE
    assert (source["created_by"], source["reliability_set_by"]) == ("reviewer2", "reviewer2")
    assert claim.citations.count() == 2


def test_a_citation_names_a_recorded_source_or_a_url_that_normalises_to_one(
    claim, reviewer, other_reviewer
):
    recorded = claim.citations.get().source
    client = client_for(other_reviewer)
    by_id = client.post(
        "/api/v1/citations/",
        {"claim": claim.pk, "source": recorded.pk, "stance": "refutes", "credibility": 5},
        format="json",
    )
    by_url = client.post(
        "/api/v1/citations/",
        {
            "claim": claim.pk,
            "stance": "context",
            "credibility": 6,
            "new_source": {"link": "HTTPS://EXAMPLE.org:443/evidence#x", "title": "Another",
                           "reliability": "A"},
        },
        format="json",
    )  # fmt: skip

    assert (by_id.status_code, by_url.status_code) == (201, 201)
    assert by_id.json()["source"]["id"] == by_url.json()["source"]["id"] == recorded.pk
    assert by_url.json()["source"]["title"] == "Evidence"  # the recorded source's own fields
    assert by_url.json()["source"]["reliability"] == "B"
    assert by_id.json()["source"]["archive_link"] is None  # none recorded: null, not ""


def test_a_citation_needs_exactly_one_of_source_and_new_source(claim, reviewer):
    client = client_for(reviewer)
    base = {"claim": claim.pk, "stance": "supports", "credibility": 3}
    both = client.post(
        "/api/v1/citations/",
        {**base, "source": claim.citations.get().source_id, "new_source": NEW_SOURCE},
        format="json",
    )
    neither = client.post("/api/v1/citations/", base, format="json")

    for response in (both, neither):
        assert response.status_code == 400
        assert list(response.json()["error"]["fields"]) == ["source"]
    assert claim.citations.count() == 1


def test_recording_a_known_url_answers_the_recorded_source(claim, reviewer):
    recorded = claim.citations.get().source
    client = client_for(reviewer)

    again = client.post(
        "/api/v1/sources/",
        {"link": "https://EXAMPLE.org/evidence#top", "title": "Dup", "reliability": "E"},
        format="json",
    )
    new = client.post(
        "/api/v1/sources/", {"link": "https://example.org/new", "title": "New", "reliability": "E"}
    )

    assert (again.status_code, new.status_code) == (200, 201)
    assert again.json()["id"] == recorded.pk
    assert again.json()["title"] == "Evidence"


def test_a_new_reliability_records_who_set_it(claim, reviewer, lead):
    source = claim.citations.get().source

    response = client_for(lead).patch(f"/api/v1/sources/{source.pk}/", {"reliability": "D"})

    assert response.status_code == 200
    assert (response.json()["reliability"], response.json()["reliability_set_by"]) == ("D", "lead")
    records = source.history.order_by("history_id")
    assert [(r.reliability, r.history_user.username) for r in records] == [
        ("B", "reviewer1"),
        ("D", "lead"),
    ]
    claim_json = client_for(reviewer).get(f"/api/v1/claims/{claim.pk}/").json()
    assert claim_json["citations"][0]["source"]["reliability"] == "D"


def test_an_invalid_source_link_is_refused(claim, other_reviewer):
    response = client_for(other_reviewer).post(
        "/api/v1/sources/", {"link": "javascript:alert(1)", "title": "x", "reliability": "B"}
    )
    nested = client_for(other_reviewer).post(
        "/api/v1/citations/",
        {"claim": claim.pk, "stance": "supports", "credibility": 1,
         "new_source": {"link": "javascript:alert(1)", "title": "x", "reliability": "B"}},
        format="json",
    )  # fmt: skip

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["link"]
    assert nested.status_code == 400
    assert nested.json()["error"]["fields"] == {"new_source": ["link: Enter a valid URL."]}


def test_a_link_too_long_once_normalised_is_refused_naming_it(claim, other_reviewer):
    # Each "é" is percent-encoded to six characters: 720 typed, 4,220 to store.
    link = "https://example.org/" + "é" * 700
    client = client_for(other_reviewer)

    alone = client.post("/api/v1/sources/", {"link": link, "title": "x", "reliability": "B"})
    nested = client.post(
        "/api/v1/citations/",
        {"claim": claim.pk, "stance": "supports", "credibility": 1,
         "new_source": {"link": link, "title": "x", "reliability": "B"}},
        format="json",
    )  # fmt: skip

    assert (alone.status_code, nested.status_code) == (400, 400)
    assert list(alone.json()["error"]["fields"]) == ["link"]
    assert nested.json()["error"]["fields"]["new_source"][0].startswith("link: ")
    assert claim.citations.count() == 1


def test_an_article_shows_an_older_revision_on_request(seed_article, researcher):
    texts = list(seed_article.revisions.get().paragraphs.values_list("text", flat=True))
    revision_create(article=seed_article, paragraphs=["A new standfirst.", *texts[1:]])
    client = client_for(researcher)
    url = f"/api/v1/articles/{seed_article.slug}/"

    current = client.get(url).json()
    first = client.get(url, {"revision": 1}).json()

    assert current["revision"]["number"] == 2
    assert current["revisions"] == [1, 2]
    assert current["paragraphs"][0]["text"] == "A new standfirst."
    assert first["revision"]["number"] == 1
    assert first["paragraphs"][0]["text"] == texts[0]
    assert [p["position"] for p in first["paragraphs"]] == list(range(1, 16))
    assert client.get(url, {"revision": 3}).status_code == 404
    assert client.get(url, {"revision": "x"}).json()["error"]["fields"] == {
        "revision": ["Must be a positive whole number."]
    }


def test_a_source_ever_cited_is_not_deleted(claim, reviewer):
    citation = claim.citations.get()
    client = client_for(reviewer)
    client.delete(f"/api/v1/citations/{citation.pk}/")  # cited before, not now

    response = client.delete(f"/api/v1/sources/{citation.source_id}/")

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["source"]
    assert client.get(f"/api/v1/sources/{citation.source_id}/").status_code == 200
