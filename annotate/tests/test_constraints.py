"""The database refuses annotations that break their invariants, whatever wrote them."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from annotate.models import Citation, Claim, ConfidenceNote, Source, Span
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


def _source(reviewer, **fields):
    values = {"url": "https://example.org/", "title": "T", "reliability": "A"}
    return Source.objects.create(
        **{**values, **fields}, created_by=reviewer, reliability_set_by=reviewer
    )


def test_source_reliability_is_from_its_scale_and_its_url_is_unique(reviewer):
    common = {"title": "T", "created_by": reviewer, "reliability_set_by": reviewer}
    refused(Source, **common, url="https://example.org/", reliability="G")
    refused(Source, **{**common, "title": ""}, url="https://example.org/", reliability="A")
    _source(reviewer, reliability="F")
    refused(Source, **common, url="https://example.org/", reliability="A")


def test_citation_stance_and_credibility_are_from_their_scales(claim, reviewer):
    common = {"claim": claim, "source": _source(reviewer), "added_by": reviewer}
    refused(Citation, **common, stance="agrees", credibility=1)
    refused(Citation, **common, stance="supports", credibility=0)
    refused(Citation, **common, stance="supports", credibility=7)
    Citation.objects.create(**common, stance="supports", credibility=6)


def test_one_confidence_note_per_reviewer_per_claim(claim, reviewer):
    ConfidenceNote.objects.create(claim=claim, reviewer=reviewer, likelihood=4)
    refused(ConfidenceNote, claim=claim, reviewer=reviewer, likelihood=5)


@pytest.mark.parametrize("likelihood", [0, 8])
def test_likelihood_is_one_of_seven_steps(claim, reviewer, likelihood):
    refused(ConfidenceNote, claim=claim, reviewer=reviewer, likelihood=likelihood)


def test_deleting_a_claim_takes_its_sources_and_notes(claim, reviewer):
    source = _source(reviewer)
    Citation.objects.create(
        claim=claim, source=source, stance="supports", credibility=1, added_by=reviewer
    )
    ConfidenceNote.objects.create(claim=claim, reviewer=reviewer, likelihood=4)

    claim.delete()

    assert (Citation.objects.count(), ConfidenceNote.objects.count()) == (0, 0)
    assert Source.objects.filter(pk=source.pk).exists()  # shared: it stays
