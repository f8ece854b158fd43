"""A write never ignores a field: one the endpoint does not change, or does not know, is a
400 naming it (and, for a field changed elsewhere, where), and nothing is written. A
script must never believe it wrote something it did not."""

from __future__ import annotations

import pytest

from annotate import services
from annotate.models import Citation, Claim, ConfidenceNote
from annotate.tests.api.conftest import client_for
from annotate.tests.factories import make_note

pytestmark = pytest.mark.django_db

VERDICT_ENDPOINT = "Set through POST /api/v1/claims/{id}/verdict/ (leads only)."


def _refused(response) -> dict[str, list[str]]:
    assert response.status_code == 400, response.content
    return response.json()["error"]["fields"]


def test_a_verdict_in_a_claim_edit_is_refused_naming_its_endpoint(claim, lead):
    response = client_for(lead).patch(
        f"/api/v1/claims/{claim.pk}/", {"verdict": "unsupported"}, format="json"
    )

    assert _refused(response) == {"verdict": [VERDICT_ENDPOINT]}
    assert Claim.objects.get(pk=claim.pk).verdict == ""


def test_a_refused_field_beside_a_good_one_writes_neither(claim, reviewer):
    response = client_for(reviewer).patch(
        f"/api/v1/claims/{claim.pk}/",
        {"statement": "Reworded", "satement": "typo", "id": 12},
        format="json",
    )

    assert _refused(response) == {
        "satement": ["Unknown field; this endpoint writes statement, kind, attributed_to."],
        "id": ["Read-only: the server sets it."],
    }
    assert Claim.objects.get(pk=claim.pk).statement == claim.statement


@pytest.mark.parametrize(
    ("method", "url", "body", "field", "says"),
    [
        ("post", "/api/v1/claims/", {"verdict": "supported"}, "verdict", "/verdict/"),
        ("put", "/api/v1/claims/{claim}/", {"citations": []}, "citations",
         "POST /api/v1/citations/"),
        ("patch", "/api/v1/claims/{claim}/", {"span": 1}, "span", "keeps its text"),
        ("patch", "/api/v1/claims/{claim}/", {"notes": []}, "notes", "/confidence-notes/"),
        ("post", "/api/v1/claims/{claim}/verdict/", {"statement": "S"}, "statement", "PATCH"),
        ("post", "/api/v1/claims/{claim}/verdict/", {"verdict_rationale": "R"},
         "verdict_rationale", "`rationale`"),
        ("post", "/api/v1/spans/", {"statement": "S"}, "statement", "POST /api/v1/claims/"),
        ("patch", "/api/v1/citations/{source}/", {"claim": "{claim}"}, "claim", "stays on its"),
        ("patch", "/api/v1/citations/{source}/", {"source": 1}, "source", "keeps its source"),
        ("patch", "/api/v1/citations/{source}/", {"reliability": "A"}, "reliability",
         "Unknown field"),
        ("post", "/api/v1/sources/", {"url": "https://example.org"}, "url", "`link`"),
        ("patch", "/api/v1/sources/{shared}/", {"claim": "{claim}"}, "claim", "Unknown field"),
        ("patch", "/api/v1/sources/{shared}/", {"reliability_set_by": "x"}, "reliability_set_by",
         "Read-only"),
        ("patch", "/api/v1/confidence-notes/{note}/", {"claim": "{claim}"}, "claim", "stays on"),
        ("post", "/api/v1/confidence-notes/", {"reviewer": "lead"}, "reviewer", "its reviewer's"),
        ("patch", "/api/v1/confidence-notes/{note}/", {"likelihood_label": "x"},
         "likelihood_label", "Read-only"),
        ("post", "/api/v1/citations/{deleted_source}/restore/", {"title": "T"}, "title",
         "Unknown field; this endpoint writes nothing."),
        ("post", "/api/v1/confidence-notes/{deleted_note}/restore/", {"x": 1}, "x", "nothing"),
        ("post", "/api/v1/articles/doha-strike-2025-09-09/deleted-claims/{deleted_claim}/restore/",
         {"statement": "S"}, "statement", "nothing"),
    ],
)  # fmt: skip
def test_every_write_names_a_field_it_will_not_write(
    claim, reviewer, lead, method, url, body, field, says
):
    source, note = claim.citations.get(), claim.notes.get()
    deleted = services.citation_create(
        claim=claim, user=reviewer, stance="context", credibility=3,
        new_source={"url": "https://example.org/d", "title": "Gone", "reliability": "C"},
    )  # fmt: skip
    services.citation_delete(citation=deleted, user=reviewer)
    lead_note = make_note(claim=claim, likelihood=2, user=lead)
    services.confidence_note_delete(note=lead_note, user=lead)
    doomed = services.claim_create(span=claim.span, statement="Doomed", user=reviewer)
    services.claim_delete(claim=doomed, user=reviewer)
    ids = {
        "claim": claim.pk, "source": source.pk, "note": note.pk, "deleted_source": deleted.pk,
        "shared": source.source_id,
        "deleted_note": lead_note.pk, "deleted_claim": doomed.pk,
    }  # fmt: skip
    body = {
        key: int(value.format(**ids)) if value == "{claim}" else value
        for key, value in body.items()
    }
    counts = (Claim.objects.count(), Citation.objects.count(), ConfidenceNote.objects.count())
    before = (
        Claim.objects.get(pk=claim.pk).updated_at,
        Citation.objects.get(pk=source.pk).updated_at,
        ConfidenceNote.objects.get(pk=note.pk).updated_at,
    )

    author_only = "confidence-notes/{note}" in url  # a note is its reviewer's own
    client = client_for(reviewer if author_only else lead)

    response = getattr(client, method)(url.format(**ids), body, format="json")

    refused = _refused(response)
    assert list(refused) == [field]
    assert says in refused[field][0]
    assert (Claim.objects.count(), Citation.objects.count(), ConfidenceNote.objects.count()) == (
        counts
    )
    assert before == (
        Claim.objects.get(pk=claim.pk).updated_at,
        Citation.objects.get(pk=source.pk).updated_at,
        ConfidenceNote.objects.get(pk=note.pk).updated_at,
    )


def test_a_body_that_is_not_an_object_is_still_a_400(claim, reviewer):
    response = client_for(reviewer).patch(
        f"/api/v1/claims/{claim.pk}/", ["statement"], format="json"
    )

    assert response.status_code == 400
    assert "non_field_errors" in response.json()["error"]["fields"]
