"""The database refuses annotations that break their invariants, whatever wrote them."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from annotate.models import Claim, ConfidenceNote, Source, Span
from annotate.tests.factories import make_claim

pytestmark = pytest.mark.django_db


@pytest.fixture
def paragraph(seed_article):
    return seed_article.revisions.get().paragraphs.get(position=2)


@pytest.fixture
def claim(paragraph, reviewer):
    return make_claim(
        paragraph=paragraph, quote="Israel struck the capital of Qatar", user=reviewer
    )


def refused(model, **fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.create(**fields)


def test_span_start_comes_before_end(paragraph, reviewer):
    refused(Span, paragraph=paragraph, start=5, end=5, quote="", created_by=reviewer)
    refused(Span, paragraph=paragraph, start=6, end=2, quote="x", created_by=reviewer)


def test_span_quote_is_as_long_as_its_range(paragraph, reviewer):
    refused(Span, paragraph=paragraph, start=0, end=6, quote="Israel struck", created_by=reviewer)
    # The same length in code points is accepted (the service checks the text itself).
    Span.objects.create(paragraph=paragraph, start=0, end=3, quote="🔥ab", created_by=reviewer)


def test_a_paragraph_with_spans_cannot_be_deleted(claim):
    with pytest.raises(IntegrityError), transaction.atomic():
        Span.objects.get().paragraph.revision.article.delete()


def test_claim_kind_and_verdict_are_from_their_scales(claim, reviewer):
    span = claim.span
    refused(Claim, span=span, statement="s", kind="rumour", created_by=reviewer)
    refused(Claim, span=span, statement="", kind="factual", created_by=reviewer)
    refused(
        Claim,
        span=span,
        statement="s",
        kind="factual",
        verdict="true",
        verdict_by=reviewer,
        verdict_at=timezone.now(),
        created_by=reviewer,
    )


def test_a_verdict_names_who_set_it_and_when(claim, lead):
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.filter(pk=claim.pk).update(verdict="supported")
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.filter(pk=claim.pk).update(verdict_by=lead, verdict_at=timezone.now())
    Claim.objects.filter(pk=claim.pk).update(
        verdict="supported", verdict_by=lead, verdict_at=timezone.now()
    )


def test_source_stance_and_reliability_are_from_their_scales(claim, reviewer):
    common = {"claim": claim, "url": "https://example.org", "title": "T", "added_by": reviewer}
    refused(Source, **common, stance="agrees", reliability="A")
    refused(Source, **common, stance="supports", reliability="G")
    refused(Source, **{**common, "title": ""}, stance="supports", reliability="A")
    Source.objects.create(**common, stance="supports", reliability="F")


def test_one_confidence_note_per_reviewer_per_claim(claim, reviewer):
    ConfidenceNote.objects.create(claim=claim, reviewer=reviewer, likelihood=4)
    refused(ConfidenceNote, claim=claim, reviewer=reviewer, likelihood=5)


@pytest.mark.parametrize("likelihood", [0, 8])
def test_likelihood_is_one_of_seven_steps(claim, reviewer, likelihood):
    refused(ConfidenceNote, claim=claim, reviewer=reviewer, likelihood=likelihood)


def test_deleting_a_claim_takes_its_sources_and_notes(claim, reviewer):
    Source.objects.create(
        claim=claim,
        url="https://example.org",
        title="T",
        stance="supports",
        reliability="A",
        added_by=reviewer,
    )
    ConfidenceNote.objects.create(claim=claim, reviewer=reviewer, likelihood=4)

    claim.delete()

    assert (Source.objects.count(), ConfidenceNote.objects.count()) == (0, 0)
