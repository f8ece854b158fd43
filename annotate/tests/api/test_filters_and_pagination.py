"""Filters, search, ordering, and walking every claim with cursors."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from annotate import services
from annotate.models import Citation, Claim, Likelihood, Source
from annotate.tests.api.conftest import client_for
from annotate.tests.factories import make_citation, make_claim, make_note

pytestmark = pytest.mark.django_db


@pytest.fixture
def claims(seed_article, reviewer, other_reviewer, lead):
    paragraphs = {p.position: p for p in seed_article.revisions.get().paragraphs.all()}
    strike = make_claim(
        paragraph=paragraphs[2], quote="Israel struck the capital of Qatar on Tuesday",
        user=reviewer, kind="factual",
    )  # fmt: skip
    genocide = make_claim(
        paragraph=paragraphs[7], quote="amid its genocide in Gaza", user=other_reviewer,
        statement="Israel is committing genocide in Gaza", kind="characterization",
    )  # fmt: skip
    coordination = make_claim(
        paragraph=paragraphs[12],
        quote="it’s unlikely that the strike would not be done in coordination with the U.S.",
        user=reviewer, kind="opinion",
    )  # fmt: skip
    make_citation(
        claim=strike, user=reviewer, stance="supports", reliability="A", title="Wire",
        publisher="Reuters", credibility=1,
    )  # fmt: skip
    make_citation(claim=genocide, user=other_reviewer, stance="refutes", reliability="C")
    make_citation(claim=genocide, user=other_reviewer, stance="refutes", reliability="C")
    make_note(claim=genocide, likelihood=Likelihood.UNLIKELY, user=reviewer)
    make_note(claim=genocide, likelihood=Likelihood.LIKELY, user=lead)
    make_note(claim=strike, likelihood=Likelihood.ALMOST_CERTAIN, user=lead)
    services.claim_set_verdict(claim=strike, verdict="supported", rationale="Two wires.", user=lead)
    return {"strike": strike, "genocide": genocide, "coordination": coordination}


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["results"]]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"kind": "opinion"}, ["coordination"]),
        ({"verdict": "supported"}, ["strike"]),
        ({"verdict": "none"}, ["genocide", "coordination"]),
        ({"stance": "refutes"}, ["genocide"]),
        ({"reliability": "A"}, ["strike"]),
        ({"reviewer": "lead"}, ["strike", "genocide"]),
        ({"created_by": "reviewer2"}, ["genocide"]),
        ({"has_sources": "false"}, ["coordination"]),
        ({"has_sources": "true"}, ["strike", "genocide"]),
        ({"disputed": "true"}, ["genocide"]),
        ({"q": "GENOCIDE"}, ["genocide"]),  # statement, case-insensitive
        ({"q": "it’s unlikely"}, ["coordination"]),  # quote, curly apostrophe
        ({"article": "doha-strike-2025-09-09"}, ["strike", "genocide", "coordination"]),
        ({"article": "elsewhere"}, []),
    ],
)
def test_claim_filters(claims, researcher, query, expected):
    response = client_for(researcher).get("/api/v1/claims/", query)

    assert ids(response) == [claims[name].pk for name in expected]


def test_paragraph_filter(claims, researcher):
    paragraph = claims["genocide"].span.paragraph_id

    assert ids(client_for(researcher).get("/api/v1/claims/", {"paragraph": paragraph})) == [
        claims["genocide"].pk
    ]


def test_updated_after_finds_what_changed_since_a_sync(claims, researcher, reviewer):
    since = timezone.now()
    make_citation(claim=claims["coordination"], user=reviewer)

    response = client_for(researcher).get("/api/v1/claims/", {"updated_after": since.isoformat()})

    assert ids(response) == [claims["coordination"].pk]
    later = (timezone.now() + timedelta(seconds=1)).isoformat()
    assert ids(client_for(researcher).get("/api/v1/claims/", {"updated_after": later})) == []


def test_ordering(claims, researcher, reviewer):
    services.claim_update(claim=claims["strike"], user=reviewer, attributed_to="IDF")

    newest_first = client_for(researcher).get("/api/v1/claims/", {"ordering": "-updated_at"})

    assert ids(newest_first)[0] == claims["strike"].pk
    by_id_desc = client_for(researcher).get("/api/v1/claims/", {"ordering": "-id"})
    assert ids(by_id_desc) == sorted(ids(by_id_desc), reverse=True)


def test_source_and_note_filters(claims, researcher):
    client = client_for(researcher)

    refuting = client.get("/api/v1/citations/", {"stance": "refutes"}).json()["results"]
    lead_notes = client.get("/api/v1/confidence-notes/", {"reviewer": "lead"}).json()["results"]

    assert {s["claim"] for s in refuting} == {claims["genocide"].pk}
    assert len(refuting) == 2
    assert {s["source"]["reliability"] for s in refuting} == {"C"}
    assert sorted(n["claim"] for n in lead_notes) == sorted(
        [claims["strike"].pk, claims["genocide"].pk]
    )


def _got(client, url, **params) -> list:
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_citation_filters(claims, researcher):
    client = client_for(researcher)
    strike = claims["strike"].pk

    assert [c["claim"] for c in _got(client, "/api/v1/citations/", credibility=1)] == [strike]
    assert [c["claim"] for c in _got(client, "/api/v1/citations/", reliability="A")] == [strike]
    assert [c["claim"] for c in _got(client, "/api/v1/citations/", q="reuters")] == [strike]
    assert len(_got(client, "/api/v1/citations/", claim=claims["genocide"].pk)) == 2
    assert len(_got(client, "/api/v1/citations/", added_by="reviewer2")) == 2
    source = Citation.objects.get(claim_id=strike).source_id
    assert len(_got(client, "/api/v1/citations/", source=source)) == 1
    assert client.get("/api/v1/citations/", {"credibility": 7}).status_code == 400


def test_source_filters(claims, researcher):
    client = client_for(researcher)
    slug = claims["strike"].span.paragraph.revision.article.slug

    assert [s["title"] for s in _got(client, "/api/v1/sources/", reliability="A")] == ["Wire"]
    assert [s["title"] for s in _got(client, "/api/v1/sources/", q="reuters")] == ["Wire"]
    assert [s["title"] for s in _got(client, "/api/v1/sources/", publisher="REUTERS")] == ["Wire"]
    by_link = _got(client, "/api/v1/sources/", link="HTTPS://Example.org/wire#x")
    assert [s["title"] for s in by_link] == ["Wire"]
    assert len(_got(client, "/api/v1/sources/", cited_in=slug)) == 2
    assert _got(client, "/api/v1/sources/", cited_in="no-such-article") == []
    assert client.get("/api/v1/sources/", {"reliability": "G"}).status_code == 400


def test_a_cursor_walk_returns_every_claim_once(claims, researcher):
    client = client_for(researcher)
    seen, url = [], "/api/v1/claims/?page_size=2"
    while url:
        page = client.get(url).json()
        seen += [item["id"] for item in page["results"]]
        url = page["next"]

    assert seen == sorted(Claim.objects.values_list("pk", flat=True))


def test_page_size_is_capped(claims, researcher, settings):
    settings.CLAIMDESK_API_MAX_PAGE_SIZE = 2

    page = client_for(researcher).get("/api/v1/claims/", {"page_size": 1000}).json()

    assert len(page["results"]) == 2
    assert page["next"]


def test_ids_past_the_databases_range_are_refused(claims, researcher):
    response = client_for(researcher).get("/api/v1/claims/", {"paragraph": 10**20})

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["paragraph"]


def test_updated_after_accepts_any_offset(claims, researcher):
    # PostgreSQL refuses offsets past ±15:59 in a query; the filter hands it UTC.
    response = client_for(researcher).get(
        "/api/v1/claims/", {"updated_after": "2000-05-05T08:30:07+23:19"}
    )

    assert len(ids(response)) == 3


@pytest.mark.parametrize(
    ("url", "model"),
    [
        ("/api/v1/sources/?page_size=2&ordering=title", Source),
        ("/api/v1/citations/?page_size=2&ordering=-id", Citation),
    ],
)
def test_a_cursor_walk_returns_every_source_and_citation_once(
    claims, reviewer, researcher, url, model
):
    for n in range(5):  # equal titles: the cursor must still neither skip nor repeat one
        make_citation(
            claim=claims["coordination"], user=reviewer, url=f"https://example.org/s{n}",
            title="Same title",
        )  # fmt: skip
    client = client_for(researcher)
    seen = []
    while url:
        page = client.get(url).json()
        seen += [item["id"] for item in page["results"]]
        url = page["next"]

    assert sorted(seen) == sorted(model.objects.values_list("pk", flat=True))
