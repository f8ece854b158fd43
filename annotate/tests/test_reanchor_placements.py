"""Where spans are in a revision, orphans for leads, and a lead re-attaching or confirming."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import prefetch_related_objects

from annotate.models import AnchorStatus, SpanAnchor
from annotate.reanchoring.placements import (
    anchors_needing_review,
    orphaned_spans,
    spans_in_revision,
)
from annotate.reanchoring.reanchor import revision_import, span_anchor_confirm, span_reattach
from annotate.tests.factories import make_claim
from articles.models import Paragraph
from articles.report_format import parse_report
from conftest import SEED_FILE

pytestmark = pytest.mark.django_db

SEED = parse_report(SEED_FILE.read_bytes()).paragraphs
CASUALTIES = "The number of casualties is currently unknown."
UPDATED = SEED[4].replace(CASUALTIES, "At least six people were killed.")


@pytest.fixture
def revised(seed_article, reviewer):
    """Revision 2 moves one span, orphans one, places one by similarity; plus a new span."""
    paragraphs = {p.position: p for p in seed_article.revisions.get().paragraphs.all()}
    spans = {
        "moved": make_claim(paragraph=paragraphs[3], quote="Loud explosions", user=reviewer).span,
        "orphan": make_claim(paragraph=paragraphs[5], quote=CASUALTIES, user=reviewer).span,
        "fuzzy": make_claim(
            paragraph=paragraphs[6], quote="The attack comes just as Hamas", user=reviewer
        ).span,
    }
    new = ["A new standfirst.", *SEED]
    new[5] = UPDATED
    new[6] = SEED[5].replace("The attack comes", "The attack came")
    report = revision_import(article=seed_article, paragraphs=new)
    current = {p.position: p for p in report.revision.paragraphs.all()}
    spans["new"] = make_claim(paragraph=current[2], quote="Hamas officials", user=reviewer).span
    return report.revision, spans, current


def test_spans_in_revision_gives_each_placement_in_reading_order(
    revised, django_assert_num_queries
):
    revision, spans, current = revised

    with django_assert_num_queries(2):
        placed = list(spans_in_revision(revision).prefetch_related("claims"))
        claims = [span.claims.all()[0].statement for span in placed]

    assert [span.pk for span in placed] == [spans["new"].pk, spans["moved"].pk, spans["fuzzy"].pk]
    rows = [
        (s.placed_paragraph_id, s.placed_position, s.placed_start, s.placed_end, s.placed_quote)
        for s in placed
    ]
    assert rows == [
        (current[2].pk, 2, 19, 34, "Hamas officials"),
        (current[4].pk, 4, 0, 15, "Loud explosions"),
        (current[7].pk, 7, 0, 29, "The attack came just as Hamas"),
    ]
    assert [(s.anchor_status, s.needs_review, s.previous_quote) for s in placed] == [
        (None, False, None),
        (AnchorStatus.MOVED, False, "Loud explosions"),
        (AnchorStatus.FUZZY, True, "The attack comes just as Hamas"),
    ]
    assert claims == ["Hamas officials", "Loud explosions", "The attack comes just as Hamas"]
    for span in placed:
        text = Paragraph.objects.get(pk=span.placed_paragraph_id).text
        assert text[span.placed_start : span.placed_end] == span.placed_quote


def test_the_old_revision_still_shows_spans_where_they_were_made(seed_article, revised):
    _, spans, _ = revised

    placed = spans_in_revision(seed_article.revisions.get(number=1))

    assert [(s.pk, s.placed_position, s.placed_start) for s in placed] == [
        (spans["moved"].pk, 3, 0),
        (spans["orphan"].pk, 5, 0),
        (spans["fuzzy"].pk, 6, 0),
    ]


def test_orphaned_spans_lists_what_has_no_place_in_the_current_text(
    seed_article, revised, django_assert_num_queries
):
    _, spans, _ = revised

    with django_assert_num_queries(1):
        orphans = list(orphaned_spans(seed_article))

    assert orphans == [spans["orphan"]]
    assert orphans[0].last_quote == CASUALTIES
    assert orphans[0].paragraph.revision.number == 1


def test_anchors_needing_review_lists_fuzzy_then_orphaned(seed_article, revised):
    _, spans, _ = revised

    pending = list(anchors_needing_review(seed_article))

    assert [(a.span_id, a.status) for a in pending] == [
        (spans["fuzzy"].pk, AnchorStatus.FUZZY),
        (spans["orphan"].pk, AnchorStatus.ORPHANED),
    ]


def test_a_lead_reattaches_an_orphan_to_selected_text(seed_article, revised, lead):
    revision, spans, current = revised
    orphan = spans["orphan"]
    claim = orphan.claims.get()
    quote = "At least six people were killed."

    anchor = span_reattach(
        span=orphan, paragraph=current[6], start=0, end=len(quote), quote=quote, user=lead
    )

    anchor.refresh_from_db()
    assert (anchor.status, anchor.paragraph, anchor.start, anchor.end, anchor.quote) == (
        AnchorStatus.REATTACHED, current[6], 0, 32, quote,
    )  # fmt: skip
    assert (anchor.needs_review, anchor.reviewed_by, anchor.previous_quote) == (
        False,
        lead,
        CASUALTIES,
    )
    assert anchor.suffix == UPDATED[32:64]
    assert list(orphaned_spans(seed_article)) == []
    assert spans_in_revision(revision).get(pk=orphan.pk).placed_quote == quote
    claim_after = orphan.claims.get()
    assert claim_after.updated_at > claim.updated_at  # its version moved
    orphan.refresh_from_db()
    assert (orphan.paragraph.revision.number, orphan.quote) == (1, CASUALTIES)


def test_reattaching_checks_the_quote_exactly(revised, lead):
    _, spans, current = revised

    with pytest.raises(ValidationError) as error:
        span_reattach(
            span=spans["orphan"], paragraph=current[6], start=0, end=5, quote="at le", user=lead
        )

    assert error.value.message_dict == {
        "quote": ["Does not match the paragraph's text between start and end."]
    }
    anchor = SpanAnchor.objects.get(span=spans["orphan"], revision=current[6].revision)
    assert anchor.status == AnchorStatus.ORPHANED


def test_only_leads_reattach(revised, reviewer):
    _, spans, current = revised

    with pytest.raises(PermissionDenied):
        span_reattach(
            span=spans["orphan"], paragraph=current[6], start=0, end=2, quote="At", user=reviewer
        )

    anchor = SpanAnchor.objects.get(span=spans["orphan"], revision=current[6].revision)
    assert anchor.status == AnchorStatus.ORPHANED


def test_reattaching_needs_the_current_text(seed_article, revised, lead):
    _, spans, current = revised
    old = seed_article.revisions.get(number=1).paragraphs.get(position=5)

    with pytest.raises(ValidationError, match="old revision"):
        span_reattach(span=spans["orphan"], paragraph=old, start=0, end=3, quote="The", user=lead)
    with pytest.raises(ValidationError, match="made on the current revision"):
        span_reattach(
            span=spans["new"], paragraph=current[2], start=0, end=6, quote="Israel", user=lead
        )


def test_a_lead_confirms_a_fuzzy_placement(seed_article, revised, lead, reviewer):
    _, spans, _ = revised
    anchor = SpanAnchor.objects.get(span=spans["fuzzy"], revision__number=2)

    with pytest.raises(PermissionDenied):
        span_anchor_confirm(anchor=anchor, user=reviewer)
    confirmed = span_anchor_confirm(anchor=anchor, user=lead)

    assert (confirmed.status, confirmed.needs_review, confirmed.reviewed_by) == (
        AnchorStatus.FUZZY,
        False,
        lead,
    )
    assert [a.span_id for a in anchors_needing_review(seed_article)] == [spans["orphan"].pk]
    orphan_anchor = SpanAnchor.objects.get(span=spans["orphan"], revision__number=2)
    with pytest.raises(ValidationError, match="re-attach"):
        span_anchor_confirm(anchor=orphan_anchor, user=lead)


def test_history_names_the_lead_who_reattached_or_confirmed(revised, lead):
    # Called outside any request (a command, a script): the service names who acted.
    _, spans, current = revised
    quote = "At least six people were killed."
    reattached = span_reattach(
        span=spans["orphan"], paragraph=current[6], start=0, end=len(quote), quote=quote, user=lead
    )
    confirmed = span_anchor_confirm(
        anchor=SpanAnchor.objects.get(span=spans["fuzzy"], revision=current[6].revision),
        user=lead,
    )

    for anchor in (reattached, confirmed):
        assert anchor.history.latest().history_user == lead


def test_prefetching_claims_for_placements_stays_constant(revised, django_assert_num_queries):
    revision, _, _ = revised
    placed = list(spans_in_revision(revision))

    with django_assert_num_queries(1):
        prefetch_related_objects(placed, "claims")
