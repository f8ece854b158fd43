"""Analytic confidence (ICD 203: low, moderate, high) beside likelihood on a confidence
note: required on every note the service writes, NULL ("not recorded") only on notes
recorded before it existed, which must get one when they are revised."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from annotate import history, restore, services
from annotate.judgements import confidence_counts, confidence_label
from annotate.models import AnalyticConfidence, Claim, ConfidenceNote, Likelihood, Span
from annotate.tests.factories import UserFactory, make_claim, make_note
from annotate.tests.workspace_helpers import paragraph

BEFORE = [("annotate", "0007_claim_notes_updated_at")]
AFTER = [("annotate", "0008_analytic_confidence")]


@pytest.fixture
def claim(seed_article, reviewer):
    return make_claim(paragraph=paragraph(seed_article, 2), quote="Israel struck", user=reviewer)


def legacy(note: ConfidenceNote) -> ConfidenceNote:
    """The note as one recorded before analytic confidence existed (see the migration
    test below: such notes hold NULL)."""
    ConfidenceNote.objects.filter(pk=note.pk).update(analytic_confidence=None)
    return ConfidenceNote.objects.get(pk=note.pk)


@pytest.mark.django_db
@pytest.mark.parametrize("value", [None, "", "certain", "Moderate"])
def test_a_new_note_without_a_valid_analytic_confidence_is_refused(claim, reviewer, value):
    with pytest.raises(ValidationError) as refused:
        services.confidence_note_save(
            claim=claim, likelihood=Likelihood.LIKELY, analytic_confidence=value, user=reviewer
        )

    assert list(refused.value.message_dict) == ["analytic_confidence"]
    assert not ConfidenceNote.objects.exists()


@pytest.mark.django_db
def test_a_note_records_both_judgements(claim, reviewer):
    note = services.confidence_note_save(
        claim=claim,
        likelihood=Likelihood.VERY_LIKELY,
        analytic_confidence=AnalyticConfidence.LOW,
        rationale="One wire report.",
        user=reviewer,
    )

    stored = ConfidenceNote.objects.get(pk=note.pk)
    assert (stored.likelihood, stored.analytic_confidence) == (6, "low")
    assert confidence_label(stored.analytic_confidence) == "Low"


@pytest.mark.django_db
def test_a_revision_must_give_it_too(claim, reviewer):
    note = make_note(claim=claim, likelihood=Likelihood.LIKELY, user=reviewer)

    with pytest.raises(ValidationError) as refused:
        services.confidence_note_save(
            claim=claim, likelihood=Likelihood.UNLIKELY, analytic_confidence=None, user=reviewer
        )

    assert list(refused.value.message_dict) == ["analytic_confidence"]
    stored = ConfidenceNote.objects.get(pk=note.pk)
    assert (stored.likelihood, stored.analytic_confidence) == (5, "moderate")  # untouched


@pytest.mark.django_db
def test_a_legacy_note_reads_not_recorded_and_gets_one_when_revised(claim, reviewer):
    old = legacy(make_note(claim=claim, likelihood=Likelihood.LIKELY, user=reviewer))

    assert confidence_label(old.analytic_confidence) == "Not recorded"
    assert confidence_counts([old.analytic_confidence]) == {
        "low": 0, "moderate": 0, "high": 0, "not_recorded": 1,
    }  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        services.confidence_note_save(
            claim=claim, likelihood=Likelihood.LIKELY, analytic_confidence=None, user=reviewer
        )
    assert list(refused.value.message_dict) == ["analytic_confidence"]
    assert ConfidenceNote.objects.get(pk=old.pk).analytic_confidence is None

    revised = services.confidence_note_save(
        claim=claim, likelihood=Likelihood.LIKELY, analytic_confidence="high", user=reviewer
    )

    assert revised.pk == old.pk
    assert ConfidenceNote.objects.get(pk=old.pk).analytic_confidence == "high"


@pytest.mark.django_db
def test_the_database_admits_null_or_the_three_levels(claim, reviewer):
    note = make_note(claim=claim, likelihood=Likelihood.LIKELY, user=reviewer)
    notes = ConfidenceNote.objects.filter(pk=note.pk)

    with pytest.raises(IntegrityError), transaction.atomic():
        notes.update(analytic_confidence="certain")
    for value in [None, *AnalyticConfidence.values]:
        notes.update(analytic_confidence=value)
        assert notes.get().analytic_confidence == value


@pytest.mark.django_db(transaction=True)
def test_the_migration_leaves_existing_notes_not_recorded(seed_article):
    # Rows written directly, as test_history_migration does: the flushes of other
    # transactional tests remove the role groups the services would ask for.
    early = UserFactory(username="early")
    text = paragraph(seed_article, 2)
    span = Span.objects.create(
        paragraph=text, start=0, end=13, quote=text.text[:13], created_by=early
    )
    claim = Claim.objects.create(span=span, statement="Early", kind="factual", created_by=early)
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        old_note = executor.loader.project_state(BEFORE).apps.get_model(
            "annotate", "ConfidenceNote"
        )
        old_note.objects.create(
            claim_id=claim.pk, reviewer_id=early.pk, likelihood=5, rationale="Before."
        )
        executor.migrate(AFTER)
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes("annotate"))

    note = ConfidenceNote.objects.get()
    assert (note.likelihood, note.rationale, note.analytic_confidence) == (5, "Before.", None)


@pytest.mark.django_db
def test_the_timeline_names_it_and_its_level(claim, reviewer):
    make_note(claim=claim, likelihood=Likelihood.LIKELY, user=reviewer)
    services.confidence_note_save(
        claim=claim, likelihood=Likelihood.LIKELY, analytic_confidence="high", user=reviewer
    )

    revised, created = [
        e for e in history.claim_timeline(claim, reviewer) if e.object_type == "note"
    ]

    assert [(c.label, c.shown_old, c.shown_new) for c in revised.changes] == [
        ("analytic confidence", "Moderate", "High")
    ]
    assert ("analytic confidence", None, "Moderate") in [
        (c.label, c.shown_old, c.shown_new) for c in created.changes
    ]


@pytest.mark.django_db
def test_a_restored_legacy_note_comes_back_as_it_was(claim, reviewer, lead):
    note = legacy(make_note(claim=claim, likelihood=Likelihood.LIKELY, user=reviewer))
    services.confidence_note_delete(note=note, user=reviewer)

    restored = restore.confidence_note_restore(note_id=note.pk, user=lead)

    assert (restored.likelihood, restored.analytic_confidence) == (5, None)
