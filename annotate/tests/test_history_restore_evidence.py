"""A lead restores one deleted citation or confidence note of a claim on its own, under its
old id, by the same rules as a deleted claim; and a deleted span's placements in later
revisions come back with it."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from annotate import history, restore, services
from annotate.models import Citation, Claim, ConfidenceNote, Likelihood, SpanAnchor
from annotate.reanchoring import reanchor
from annotate.tests.factories import make_citation, make_claim, make_note
from annotate.tests.revised_seed import SEED, claims_across_a_revision
from annotate.tests.workspace_helpers import paragraph

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim(seed_article, reviewer, other_reviewer):
    """reviewer1's claim with their citation of "Wire report", their note and reviewer2's."""
    claim = make_claim(paragraph=paragraph(seed_article, 6), quote="the strike", user=reviewer)
    make_citation(claim=claim, user=reviewer, title="Wire report")
    for user, likelihood in ((reviewer, Likelihood.LIKELY), (other_reviewer, Likelihood.UNLIKELY)):
        make_note(claim=claim, likelihood=likelihood, rationale=f"By {user}", user=user)
    return claim


def _notes(claim):
    return {n.reviewer.username: n for n in claim.notes.select_related("reviewer")}


def test_a_lead_restores_a_deleted_citation_with_its_id_and_creation_time(claim, reviewer, lead):
    source = claim.citations.get()
    services.citation_delete(citation=source, user=reviewer)

    restored = restore.citation_restore(citation_id=source.pk, user=lead)

    assert (restored.pk, restored.source.title, restored.added_by) == (
        source.pk,
        "Wire report",
        reviewer,
    )
    assert restored.created_at == source.created_at
    assert Claim.objects.get(pk=claim.pk).updated_at > claim.updated_at
    newest = history.claim_timeline(claim, lead)[0]
    assert (newest.who, newest.object_type, newest.object_id, newest.action) == (
        "lead",
        "citation",
        source.pk,
        "restored",
    )


def test_a_lead_restores_a_deleted_note_as_its_reviewers(claim, other_reviewer, lead):
    note = _notes(claim)["reviewer2"]
    services.confidence_note_delete(note=note, user=lead)

    restored = restore.confidence_note_restore(note_id=note.pk, user=lead)

    assert (restored.pk, restored.reviewer, restored.likelihood, restored.rationale) == (
        note.pk,
        other_reviewer,
        Likelihood.UNLIKELY,
        "By reviewer2",
    )


def test_only_leads_restore_citations_and_notes(claim, reviewer):
    source, note = claim.citations.get(), _notes(claim)["reviewer1"]
    services.citation_delete(citation=source, user=reviewer)
    services.confidence_note_delete(note=note, user=reviewer)

    with pytest.raises(PermissionDenied, match="Only leads restore deleted citations"):
        restore.citation_restore(citation_id=source.pk, user=reviewer)
    with pytest.raises(PermissionDenied, match="Only leads restore deleted confidence notes"):
        restore.confidence_note_restore(note_id=note.pk, user=reviewer)
    assert not Citation.objects.filter(pk=source.pk).exists()
    assert not ConfidenceNote.objects.filter(pk=note.pk).exists()


def test_what_is_not_deleted_is_refused_naming_the_field(claim, reviewer, lead):
    source = claim.citations.get()
    with pytest.raises(ValidationError) as never:
        restore.citation_restore(citation_id=source.pk, user=lead)
    assert never.value.message_dict == {"citation": ["Is not deleted."]}

    services.citation_delete(citation=source, user=reviewer)
    restore.citation_restore(citation_id=source.pk, user=lead)
    with pytest.raises(ValidationError) as twice:
        restore.citation_restore(citation_id=source.pk, user=lead)
    assert twice.value.message_dict == {"citation": ["Is not deleted."]}


def test_an_id_never_deleted_or_used_is_does_not_exist(lead):
    with pytest.raises(Citation.DoesNotExist):
        restore.citation_restore(citation_id=987654, user=lead)
    with pytest.raises(ConfidenceNote.DoesNotExist):
        restore.confidence_note_restore(note_id=987654, user=lead)


def test_nothing_is_restored_into_a_deleted_claim(claim, reviewer, lead):
    source = make_citation(claim=claim, user=reviewer, title="Removed alone")
    services.citation_delete(citation=source, user=reviewer)
    services.claim_delete(claim=claim, user=reviewer)

    with pytest.raises(ValidationError) as refused:
        restore.citation_restore(citation_id=source.pk, user=lead)

    assert list(refused.value.message_dict) == ["claim"]
    assert f"restore claim {claim.pk}" in refused.value.message_dict["claim"][0]
    assert not Citation.objects.filter(pk=source.pk).exists()


def test_a_note_whose_reviewer_judged_again_stays_deleted(claim, other_reviewer, lead):
    old = _notes(claim)["reviewer2"]
    services.confidence_note_delete(note=old, user=other_reviewer)
    make_note(claim=claim, likelihood=Likelihood.LIKELY, user=other_reviewer)

    with pytest.raises(ValidationError) as refused:
        restore.confidence_note_restore(note_id=old.pk, user=lead)

    assert list(refused.value.message_dict) == ["reviewer"]
    assert _notes(claim)["reviewer2"].likelihood == Likelihood.LIKELY
    assert not ConfidenceNote.objects.filter(pk=old.pk).exists()


def test_the_panel_lists_what_was_deleted_on_its_own_from_the_timeline(
    claim, reviewer, other_reviewer, lead
):
    source = claim.citations.get()
    services.citation_delete(citation=source, user=reviewer)
    note = _notes(claim)["reviewer2"]
    services.confidence_note_delete(note=note, user=lead)
    restored_later = make_citation(claim=claim, user=reviewer, title="Back again")
    services.citation_delete(citation=restored_later, user=reviewer)
    restore.citation_restore(citation_id=restored_later.pk, user=lead)
    notes = list(claim.notes.all())

    items = history.deleted_evidence(history.claim_timeline(claim, lead), notes)

    assert [(i.kind, i.pk, i.label, i.deleted_by, i.superseded) for i in items] == [
        (
            "notes",
            note.pk,
            "reviewer2’s note: Unlikely (20–45%), analytic confidence moderate",
            "lead",
            False,
        ),
        ("citations", source.pk, "Citation of “Wire report”", "reviewer1", False),
    ]
    make_note(claim=claim, likelihood=Likelihood.LIKELY, user=other_reviewer)
    items = history.deleted_evidence(history.claim_timeline(claim, lead), list(claim.notes.all()))
    assert items[0].superseded


# A deleted span's placements in later revisions.


@pytest.fixture
def revised(seed_article, reviewer):
    return claims_across_a_revision(seed_article, reviewer)


def _placements(span_id: int) -> list[tuple]:
    return list(
        SpanAnchor.objects.filter(span_id=span_id)
        .order_by("revision__number")
        .values_list(
            "pk",
            "revision__number",
            "paragraph_id",
            "start",
            "end",
            "quote",
            "status",
            "needs_review",
            "reviewed_by_id",
            "created_at",
        )
    )


@pytest.mark.parametrize("which", ["moved", "fuzzy", "orphan"])
def test_restoring_a_re_anchored_claim_brings_back_its_placements(revised, lead, which):
    claim = revised[which]
    if which == "fuzzy":  # confirmed by a lead before the delete: that stays too
        anchor = SpanAnchor.objects.get(span=claim.span, revision__number=2)
        reanchor.span_anchor_confirm(anchor=anchor, user=lead)
    before = _placements(claim.span_id)
    assert len(before) == 1

    services.claim_delete(claim=claim, user=lead)
    assert not SpanAnchor.objects.filter(span_id=claim.span_id).exists()
    restore.claim_restore(claim_id=claim.pk, user=lead)

    assert _placements(claim.span_id) == before


def test_a_placement_comes_back_when_the_span_went_with_a_later_claim(seed_article, reviewer, lead):
    # The sibling is stated before the revision: a new claim goes on the current text only.
    claim = make_claim(paragraph=paragraph(seed_article, 3), quote="Loud explosions", user=reviewer)
    sibling = services.claim_create(span=claim.span, statement="Another reading", user=reviewer)
    reanchor.revision_import(article=seed_article, paragraphs=["A new standfirst.", *SEED])
    before = _placements(claim.span_id)
    services.claim_delete(claim=claim, user=lead)
    assert _placements(claim.span_id) == before  # the sibling still uses the span
    services.claim_delete(claim=sibling, user=lead)

    restore.claim_restore(claim_id=claim.pk, user=lead)

    assert _placements(claim.span_id) == before
    assert not Claim.objects.filter(pk=sibling.pk).exists()


def test_a_claim_deleted_before_a_revision_is_placed_into_it_when_restored(
    seed_article, reviewer, lead
):
    paragraphs = {p.position: p for p in seed_article.revisions.get(number=1).paragraphs.all()}
    claim = make_claim(paragraph=paragraphs[3], quote="Loud explosions", user=reviewer)
    services.claim_delete(claim=claim, user=lead)
    new = ["A new standfirst.", *SEED]  # paragraph 3 is now paragraph 4
    reanchor.revision_import(article=seed_article, paragraphs=new)
    assert not SpanAnchor.objects.filter(span_id=claim.span_id).exists()

    restore.claim_restore(claim_id=claim.pk, user=lead)

    anchor = SpanAnchor.objects.get(span_id=claim.span_id)
    assert (anchor.revision.number, anchor.paragraph.position, anchor.quote) == (
        2,
        4,
        "Loud explosions",
    )
    assert (anchor.status, anchor.needs_review) == ("moved", False)
    assert anchor.start == paragraphs[3].text.index("Loud explosions")
    # The placement is the restoring lead's doing, and history says so.
    assert [(r.history_type, r.history_user_id) for r in anchor.history.all()] == [("+", lead.pk)]


def test_a_restored_claim_keeps_its_placements_and_gains_only_the_missing_ones(revised, lead):
    claim = revised["moved"]
    before = _placements(claim.span_id)
    services.claim_delete(claim=claim, user=lead)
    third = [
        p.text
        for p in claim.span.paragraph.revision.article.revisions.get(number=2).paragraphs.order_by(
            "position"
        )
    ] + ["A closing paragraph."]
    reanchor.revision_import(article=claim.span.paragraph.revision.article, paragraphs=third)

    restore.claim_restore(claim_id=claim.pk, user=lead)

    after = _placements(claim.span_id)
    assert after[:1] == before
    assert [(row[1], row[5], row[6]) for row in after[1:]] == [(3, "Loud explosions", "kept")]
