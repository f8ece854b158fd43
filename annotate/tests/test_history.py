"""History: every write records who, when and what changed; a deleted claim comes back
with its span, citations and notes, under the same ids."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from annotate import access, history, restore, services
from annotate.models import Citation, Claim, ConfidenceNote, Likelihood, Span, Stance, Verdict
from annotate.tests.factories import make_citation, make_claim, make_note

QUOTE = "the strike specifically targeted the negotiation team"


@pytest.fixture
def paragraph(seed_article):
    return seed_article.revisions.get().paragraphs.get(position=6)


@pytest.fixture
def claim(paragraph, reviewer, other_reviewer):
    claim = make_claim(paragraph=paragraph, quote=QUOTE, user=reviewer)
    make_citation(claim=claim, user=reviewer, title="Wire report")
    make_note(claim=claim, likelihood=Likelihood.LIKELY, user=reviewer)
    make_note(claim=claim, likelihood=Likelihood.UNLIKELY, rationale="Thin", user=other_reviewer)
    return claim


def test_it_records_the_acting_user_on_each_write(claim, reviewer, lead):
    services.claim_update(claim=claim, user=reviewer, statement="Targeted the negotiators")
    services.claim_set_verdict(claim=claim, verdict=Verdict.MIXED, rationale="Both", user=lead)

    records = list(Claim.history.filter(id=claim.pk).order_by("history_id"))
    assert [(r.history_type, r.history_user) for r in records] == [
        ("+", reviewer),
        ("~", reviewer),
        ("~", lead),
    ]
    assert records[1].statement == "Targeted the negotiators"
    assert records[2].verdict == Verdict.MIXED


def test_the_timeline_lists_changes_with_old_and_new_values_newest_first(
    claim, reviewer, lead, django_assert_num_queries
):
    services.claim_update(claim=claim, user=reviewer, statement="Targeted the negotiators")
    citation = claim.citations.get()
    services.citation_update(citation=citation, user=reviewer, stance=Stance.REFUTES)
    services.claim_set_verdict(claim=claim, verdict=Verdict.MIXED, rationale="Both", user=lead)

    access.judges_blind(lead)  # the user's permissions are loaded once per request
    with django_assert_num_queries(6):  # per kind: claim, span, citations, sources, notes, links
        timeline = history.claim_timeline(claim, lead)

    newest = timeline[0]
    assert (newest.who, newest.object_type, newest.action) == ("lead", "claim", "changed")
    changes = {c.field: (c.old, c.new) for c in newest.changes}
    assert changes.pop("verdict_at")[0] is None
    assert changes == {
        "verdict": ("", Verdict.MIXED),
        "verdict_rationale": ("", "Both"),
        "verdict_by_id": (None, lead.pk),
    }
    stance = timeline[1]
    assert (stance.object_type, stance.object_id, stance.action) == (
        "citation",
        citation.pk,
        "changed",
    )
    assert [(c.field, c.old, c.new) for c in stance.changes] == [
        ("stance", Stance.SUPPORTS, Stance.REFUTES)
    ]
    edit = timeline[2]
    assert [(c.field, c.old, c.new) for c in edit.changes] == [
        ("statement", QUOTE, "Targeted the negotiators")
    ]
    kinds = [(e.object_type, e.action) for e in timeline]
    assert kinds[-2:] == [("claim", "created"), ("span", "created")] or kinds[-2:] == [
        ("span", "created"),
        ("claim", "created"),
    ]
    # span, claim, citation, its source, 2 notes created; 3 changes
    assert len(timeline) == 9


def test_the_timeline_costs_five_queries_however_long(
    claim, reviewer, lead, django_assert_num_queries
):
    for n in range(5):
        services.claim_update(claim=claim, user=reviewer, statement=f"Version {n}")
        make_citation(claim=claim, user=reviewer, title=f"Source {n}")
    access.judges_blind(lead)  # the user's permissions are loaded once per request
    with django_assert_num_queries(6):  # per kind: claim, span, citations, sources, notes, links
        timeline = history.claim_timeline(claim, lead)
    # six created at the start, five edits, five citations of five more sources
    assert len(timeline) == 6 + 5 + 5 + 5


def test_deleting_a_claim_removes_its_rows_and_records_each_under_the_user(claim, lead):
    ids = _ids(claim)
    services.claim_delete(claim=claim, user=lead)

    assert not Claim.objects.filter(pk=claim.pk).exists()
    assert not Span.objects.filter(pk=claim.span_id).exists()
    assert not Citation.objects.filter(pk__in=ids["citations"]).exists()
    deletions = [
        *Claim.history.filter(history_type="-"),
        *Span.history.filter(history_type="-"),
        *Citation.history.filter(history_type="-"),
        *ConfidenceNote.history.filter(history_type="-"),
    ]
    assert len(deletions) == 5
    assert {r.history_user for r in deletions} == {lead}
    assert len({r.history_change_reason for r in deletions}) == 1


def test_a_lead_restores_a_deleted_claim_with_its_span_citations_and_notes(claim, reviewer, lead):
    ids = _ids(claim)
    created_at = claim.created_at
    services.claim_delete(claim=claim, user=reviewer)

    restored = restore.claim_restore(claim_id=claim.pk, user=lead)

    assert _ids(restored) == ids
    assert restored.statement == QUOTE
    assert restored.created_at == created_at
    assert restored.created_by == reviewer
    assert restored.span.quote == QUOTE
    assert sorted(restored.notes.values_list("likelihood", flat=True)) == [
        Likelihood.UNLIKELY,
        Likelihood.LIKELY,
    ]
    assert restored.notes.get(rationale="Thin").reviewer.username == "reviewer2"
    timeline = history.claim_timeline(restored, lead)
    assert (timeline[0].action, timeline[0].who) == ("restored", "lead")
    assert {(e.object_type, e.action) for e in timeline if e.action == "restored"} == {
        ("claim", "restored"),
        ("span", "restored"),
        ("citation", "restored"),
        ("note", "restored"),
    }
    assert "deleted" in {e.action for e in timeline}


def test_restoring_keeps_a_shared_span_and_brings_back_only_this_deletion(
    claim, paragraph, reviewer, lead
):
    sibling = services.claim_create(span=claim.span, statement="Another reading", user=reviewer)
    earlier = make_citation(claim=claim, user=reviewer, title="Removed before")
    services.citation_delete(citation=earlier, user=reviewer)
    services.claim_delete(claim=claim, user=reviewer)
    assert Span.objects.filter(pk=claim.span_id).exists()  # the sibling still uses it

    restored = restore.claim_restore(claim_id=claim.pk, user=lead)

    assert restored.span_id == sibling.span_id
    assert list(restored.citations.values_list("source__title", flat=True)) == ["Wire report"]


def test_a_span_deleted_later_with_another_claim_comes_back_too(claim, reviewer, lead):
    sibling = services.claim_create(span=claim.span, statement="Another reading", user=reviewer)
    services.claim_delete(claim=claim, user=reviewer)
    services.claim_delete(claim=sibling, user=reviewer)

    restored = restore.claim_restore(claim_id=claim.pk, user=lead)

    assert restored.span.quote == QUOTE
    assert not Claim.objects.filter(pk=sibling.pk).exists()


def test_only_leads_restore(claim, reviewer):
    services.claim_delete(claim=claim, user=reviewer)
    with pytest.raises(PermissionDenied):
        restore.claim_restore(claim_id=claim.pk, user=reviewer)
    assert not Claim.objects.filter(pk=claim.pk).exists()


def test_a_claim_that_is_not_deleted_is_not_restored(claim, lead):
    with pytest.raises(ValidationError):
        restore.claim_restore(claim_id=claim.pk, user=lead)


def test_the_deleted_list_holds_claims_deleted_and_not_restored(
    claim, paragraph, seed_article, reviewer, lead, django_assert_num_queries
):
    other = make_claim(paragraph=paragraph, quote="negotiation team", user=reviewer)
    services.claim_delete(claim=claim, user=reviewer)
    services.claim_delete(claim=other, user=lead)
    restore.claim_restore(claim_id=other.pk, user=lead)

    with django_assert_num_queries(1):
        deleted = list(history.deleted_claims(seed_article))

    assert [(r.id, r.statement, r.history_user.username) for r in deleted] == [
        (claim.pk, QUOTE, "reviewer1")
    ]


def _ids(claim: Claim) -> dict:
    return {
        "claim": claim.pk,
        "span": claim.span_id,
        "citations": sorted(claim.citations.values_list("pk", flat=True)),
        "notes": sorted(claim.notes.values_list("pk", flat=True)),
    }


def test_a_claim_deleted_in_the_admin_is_restorable_with_its_children(client, claim, lead):
    ids = _ids(claim)
    lead.is_staff = True
    lead.save()
    client.force_login(lead)
    url = reverse("admin:annotate_claim_delete", args=[claim.pk])

    response = client.post(url, {"post": "yes"})

    assert response.status_code == 302
    assert not Claim.objects.filter(pk=claim.pk).exists()
    assert _ids(restore.claim_restore(claim_id=claim.pk, user=lead)) == ids
