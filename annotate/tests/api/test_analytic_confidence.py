"""Analytic confidence through the API and the exports: required (a 400 naming the field,
nothing written), shown with its label on every note, `null` / "Not recorded" on a note
recorded before it existed, which a revision must give one; hidden with the rest of
others' notes under independent review."""

from __future__ import annotations

import csv
import io
import json

import pytest

from annotate.api.exports import CONFIDENCE_COLUMNS
from annotate.models import ConfidenceNote, Likelihood
from annotate.tests.api.conftest import client_for
from annotate.tests.factories import make_note

pytestmark = pytest.mark.django_db

NOTES = "/api/v1/confidence-notes/"


def _legacy(note: ConfidenceNote) -> ConfidenceNote:
    """As recorded before analytic confidence existed (migration 0008 leaves NULL)."""
    ConfidenceNote.objects.filter(pk=note.pk).update(analytic_confidence=None)
    return ConfidenceNote.objects.get(pk=note.pk)


@pytest.mark.parametrize(
    "payload",
    [{}, {"analytic_confidence": None}, {"analytic_confidence": ""}, {"analytic_confidence": 2}],
    ids=["missing", "null", "blank", "not-a-level"],
)
def test_a_note_without_a_valid_analytic_confidence_is_a_400_naming_it(
    claim, other_reviewer, payload
):
    response = client_for(other_reviewer).post(
        NOTES, {"claim": claim.pk, "likelihood": 4, **payload}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["analytic_confidence"]
    assert not ConfidenceNote.objects.filter(reviewer=other_reviewer).exists()


def test_a_put_needs_it_too(claim, reviewer):
    note = claim.notes.get(reviewer=reviewer)

    response = client_for(reviewer).put(
        f"{NOTES}{note.pk}/", {"likelihood": 2, "rationale": "Changed"}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["analytic_confidence"]
    assert ConfidenceNote.objects.get(pk=note.pk).likelihood == Likelihood.LIKELY


def test_a_note_shows_both_judgements_with_their_labels(claim, other_reviewer):
    created = client_for(other_reviewer).post(
        NOTES,
        {"claim": claim.pk, "likelihood": 6, "analytic_confidence": "low", "rationale": "Thin"},
        format="json",
    )

    assert created.status_code == 201
    data = created.json()
    assert (data["likelihood"], data["likelihood_label"]) == (6, "Very likely (80–95%)")
    assert (data["analytic_confidence"], data["analytic_confidence_label"]) == ("low", "Low")
    assert ConfidenceNote.objects.get(pk=data["id"]).analytic_confidence == "low"


def test_a_legacy_note_reads_not_recorded_and_a_patch_must_give_one(claim, reviewer):
    note = _legacy(claim.notes.get(reviewer=reviewer))
    client = client_for(reviewer)

    shown = client.get(f"{NOTES}{note.pk}/").json()
    refused = client.patch(f"{NOTES}{note.pk}/", {"likelihood": 3}, format="json")
    revised = client.patch(f"{NOTES}{note.pk}/", {"analytic_confidence": "high"}, format="json")

    assert (shown["analytic_confidence"], shown["analytic_confidence_label"]) == (
        None,
        "Not recorded",
    )
    assert refused.status_code == 400
    assert list(refused.json()["error"]["fields"]) == ["analytic_confidence"]
    assert revised.status_code == 200
    assert (revised.json()["likelihood"], revised.json()["analytic_confidence"]) == (5, "high")


def test_embedded_notes_carry_it_in_the_list_and_the_detail(claim, reviewer, other_reviewer):
    _legacy(claim.notes.get(reviewer=reviewer))
    make_note(claim=claim, likelihood=3, analytic_confidence="high", user=other_reviewer)
    client = client_for(other_reviewer)

    listed = client.get("/api/v1/claims/", {"expand": "notes"}).json()["results"][0]["notes"]
    detail = client.get(f"/api/v1/claims/{claim.pk}/", {"expand": "notes"}).json()["notes"]

    for notes in (listed, detail):
        assert [
            (n["reviewer"], n["analytic_confidence"], n["analytic_confidence_label"]) for n in notes
        ] == [("reviewer1", None, "Not recorded"), ("reviewer2", "high", "High")]


def test_notes_filter_by_analytic_confidence_not_recorded_included(
    claim, reviewer, other_reviewer, lead
):
    _legacy(claim.notes.get(reviewer=reviewer))
    make_note(claim=claim, likelihood=3, analytic_confidence="high", user=other_reviewer)
    client = client_for(lead)

    def reviewers(value: str):
        response = client.get(NOTES, {"analytic_confidence": value})
        return response.status_code, [n["reviewer"] for n in response.json().get("results", [])]

    assert reviewers("high") == (200, ["reviewer2"])
    assert reviewers("not_recorded") == (200, ["reviewer1"])
    assert reviewers("low") == (200, [])
    assert reviewers("certain")[0] == 400


def test_the_openapi_schema_names_its_enum(researcher):
    schema = client_for(researcher).get("/api/schema/", {"format": "json"}).json()

    enums = schema["components"]["schemas"]
    assert enums["AnalyticConfidenceEnum"]["enum"] == ["low", "moderate", "high"]


# Exports ---------------------------------------------------------------------------------


def _export(client, article, name) -> str:
    response = client.get(f"/api/v1/articles/{article.slug}/export/{name}/")
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode("utf-8")


@pytest.fixture
def judged(claim, reviewer, other_reviewer, lead):
    """reviewer1's note recorded before analytic confidence; two others with one."""
    _legacy(claim.notes.get(reviewer=reviewer))
    make_note(claim=claim, likelihood=2, analytic_confidence="high", user=other_reviewer)
    make_note(claim=claim, likelihood=6, analytic_confidence="high", user=lead)
    return claim


def test_every_export_carries_it(seed_article, judged, researcher):
    client = client_for(researcher)

    (line,) = [json.loads(x) for x in _export(client, seed_article, "jsonl").splitlines()]
    (row,) = csv.DictReader(io.StringIO(_export(client, seed_article, "csv")))
    w3c = json.loads(_export(client, seed_article, "w3c"))["first"]["items"][0]

    assert [(n["reviewer"], n["analytic_confidence"]) for n in line["notes"]] == [
        ("reviewer1", None),
        ("reviewer2", "high"),
        ("lead", "high"),
    ]
    assert [row[column] for column in CONFIDENCE_COLUMNS] == ["0", "0", "2", "1"]
    notes = [b for b in w3c["body"] if "likelihood" in b]
    assert [(b["analytic_confidence"], b["analytic_confidence_label"]) for b in notes] == [
        (None, "Not recorded"),
        ("high", "High"),
        ("high", "High"),
    ]


def test_exports_hide_others_confidence_under_independent_review(
    seed_article, claim, lead, other_reviewer
):
    make_note(claim=claim, likelihood=6, analytic_confidence="high", user=lead)
    blind = client_for(other_reviewer)  # no note of their own on the claim yet

    (row,) = csv.DictReader(io.StringIO(_export(blind, seed_article, "csv")))
    (line,) = [json.loads(x) for x in _export(blind, seed_article, "jsonl").splitlines()]
    w3c = json.loads(_export(blind, seed_article, "w3c"))["first"]["items"][0]

    assert seed_article.independent_review
    assert [row[column] for column in CONFIDENCE_COLUMNS] == ["", "", "", ""]
    assert line["notes"] == []
    assert not [b for b in w3c["body"] if "analytic_confidence" in b]


def test_the_csv_names_its_confidence_columns():
    assert CONFIDENCE_COLUMNS == [
        "confidence_low", "confidence_moderate", "confidence_high", "confidence_not_recorded",
    ]  # fmt: skip
