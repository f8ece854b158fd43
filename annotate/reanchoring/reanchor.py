"""Importing a revision of a report, and carrying every span into it.

Data model. A span keeps pointing at the paragraph it was made on; re-anchoring adds one
SpanAnchor per (span, later revision). Moving the span itself instead would have been
simpler to query, but it would rewrite history: a claim made on "The number of casualties
is currently unknown." must still cite that sentence of revision 1 after revision 2 says
"At least six people were killed", and exports cite the revision a reviewer read. With
anchors, every revision keeps its own placements, an orphan keeps its claims, sources
and notes untouched, and the current placement is one join away (`placements`).

Each anchor is placed from the span's latest placement (its newest placed anchor, else
the span itself) by `anchoring`. Unconfirmed placements stay unconfirmed: a fuzzy
placement that is kept in the next revision still needs review.

All of it is one transaction: the new revision, its paragraphs, the anchors and the
report appear together or not at all.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from annotate import access
from annotate.changes.recording import acting_as, record_placements
from annotate.models import (
    AnchorStatus,
    Claim,
    ReanchorReport,
    Span,
    SpanAnchor,
)
from annotate.reanchoring.anchoring import (
    CONTEXT_LENGTH,
    Outcome,
    RevisionText,
    Source,
    context_around,
    place,
)
from annotate.services import check_quote
from annotate.writing import acted_by, hold_text_still, require, touch_claims
from articles.models import Article, Paragraph, Revision
from articles.selectors import article_current_revision, paragraph_is_current
from articles.services import revision_create, text_checksum


def min_score() -> float:
    return settings.CLAIMDESK_REANCHOR_MIN_SCORE


@transaction.atomic
def revision_import(
    *,
    article: Article,
    paragraphs: Sequence[str],
    note: str = "",
    user: AbstractBaseUser | None = None,
) -> ReanchorReport:
    """Add the next revision of an article and re-anchor every span into it."""
    article = Article.objects.select_for_update().get(pk=article.pk)
    current = article_current_revision(article)
    if current is not None and current.checksum == text_checksum(paragraphs):
        raise ValidationError(
            {"paragraphs": f"The text is the same as revision {current.number}; nothing changed."}
        )
    with acting_as(user):  # the articles app saves the revision, naming no one
        revision = revision_create(article=article, paragraphs=paragraphs, note=note)
    return spans_reanchor(revision=revision, user=user)


@dataclass
class _Latest:
    """A span's latest placement, and whether it is still unconfirmed."""

    source: Source
    needs_review: bool


def _latest_placements(revision: Revision, span: Span | None = None) -> dict[int, _Latest]:
    """Every earlier span's latest placement (or only `span`'s), in two queries."""
    fields = ("paragraph__position", "start", "end", "quote", "prefix", "suffix")
    latest: dict[int, _Latest] = {}
    spans = Span.objects.filter(
        paragraph__revision__article_id=revision.article_id,
        paragraph__revision__number__lt=revision.number,
    )
    anchors = SpanAnchor.objects.filter(
        revision__article_id=revision.article_id,
        revision__number__lt=revision.number,
        paragraph__isnull=False,
    )
    if span is not None:
        spans, anchors = spans.filter(pk=span.pk), anchors.filter(span=span)
    spans = spans.values_list("id", *fields)
    for span_id, *placement in spans:
        latest[span_id] = _Latest(Source(*placement), needs_review=False)
    anchors = anchors.order_by("revision__number").values_list("span_id", *fields, "needs_review")
    for span_id, *placement, needs_review in anchors:
        latest[span_id] = _Latest(Source(*placement), needs_review=needs_review)
    return latest


class _Into:
    """A revision's text, read once, and how a span's latest placement lands in it."""

    def __init__(self, revision: Revision) -> None:
        self.revision = revision
        self.paragraphs = list(revision.paragraphs.order_by("position").values_list("id", "text"))
        self.text = RevisionText(
            [body for _, body in self.paragraphs], context_length=CONTEXT_LENGTH
        )
        self.floor = min_score()

    def anchor(self, span_id: int, latest: _Latest) -> SpanAnchor:
        """The unsaved anchor of the span in this revision."""
        text = self.text
        placed = place(latest.source, text, min_score=self.floor)
        anchor = SpanAnchor(
            span_id=span_id,
            revision=self.revision,
            previous_quote=latest.source.quote,
            status=placed.outcome,
            score=placed.score,
            needs_review=placed.needs_review or latest.needs_review,
        )
        if placed.position is not None and placed.start is not None and placed.end is not None:
            anchor.paragraph_id = self.paragraphs[placed.position - 1][0]
            anchor.start, anchor.end = placed.start, placed.end
            anchor.quote = text.paragraphs[placed.position - 1][placed.start : placed.end]
            anchor.prefix, anchor.suffix = text.context(placed.position, placed.start, placed.end)
        return anchor


def span_catch_up(*, span: Span, user: AbstractBaseUser) -> list[SpanAnchor]:
    """Anchor a span into the revisions it missed: those imported while it was deleted.

    A restored span must come back where its claims would have been had they never been
    deleted, not as an orphan; so it is placed revision by revision, from its latest
    placement, by the same rules as an import. Part of the caller's transaction; history
    names `user`, the lead whose restore placed it.
    """
    made = []
    later = Revision.objects.filter(
        article_id=span.paragraph.revision.article_id,
        number__gt=span.paragraph.revision.number,
    ).order_by("number")
    placed_in = set(SpanAnchor.objects.filter(span=span).values_list("revision_id", flat=True))
    for revision in later:
        if revision.pk in placed_in:
            continue
        anchor = _Into(revision).anchor(span.pk, _latest_placements(revision, span)[span.pk])
        acted_by(anchor, user).save()
        made.append(anchor)
    return made


def spans_reanchor(*, revision: Revision, user: AbstractBaseUser | None = None) -> ReanchorReport:
    """Anchor every span of the article's earlier revisions into `revision`, in bulk.

    `revision_import` calls it once per revision; a second run for the same revision
    fails on the one-anchor-per-revision constraint rather than duplicating anchors.
    Constant queries: three reads, the bulk insert, touching the claims, the report.
    """
    into = _Into(revision)
    counts: Counter[str] = Counter()
    anchors = []
    for span_id, latest in sorted(_latest_placements(revision).items()):
        anchor = into.anchor(span_id, latest)
        counts[anchor.status] += 1
        counts["needs_review"] += anchor.needs_review
        anchors.append(anchor)
    SpanAnchor.objects.bulk_create(anchors, batch_size=500)
    # History does not see a bulk insert: the feed is told here (annotate.changes).
    record_placements(anchors, revision.article_id, user)
    # A claim is shown with its placement: its version (ETag, updated_after) moves with it.
    touch_claims(
        Claim.objects.filter(span__paragraph__revision__article_id=revision.article_id).exclude(
            span__paragraph__revision=revision
        ),
        user,
    )
    return ReanchorReport.objects.create(
        revision=revision,
        kept=counts[Outcome.KEPT],
        moved=counts[Outcome.MOVED],
        fuzzy=counts[Outcome.FUZZY],
        ambiguous=counts[Outcome.AMBIGUOUS],
        orphaned=counts[Outcome.ORPHANED],
        needs_review=counts["needs_review"],
        imported_by=user,
    )


def _touch_claims(span: Span, user: AbstractBaseUser) -> None:
    """The placement is shown with the span's claims: their versions move with it."""
    touch_claims(Claim.objects.filter(span=span), user)


@transaction.atomic
def span_reattach(
    *,
    span: Span,
    paragraph: Paragraph,
    start: int,
    end: int,
    quote: str,
    user: AbstractBaseUser,
) -> SpanAnchor:
    """A lead places an orphaned (or misplaced) span on text selected in the current revision.

    The quote is checked exactly as when a span is made; the span itself, and the text it
    was made on, stay as they were.
    """
    require(access.can_reanchor(user), "Only leads re-attach or confirm re-anchored spans.")
    hold_text_still(paragraph.pk)
    revision = paragraph.revision
    if revision.article_id != span.paragraph.revision.article_id:
        raise ValidationError({"paragraph": "Belongs to another article."})
    if not paragraph_is_current(paragraph):
        raise ValidationError({"paragraph": "Belongs to an old revision; use the current text."})
    if span.paragraph.revision_id == revision.pk:
        raise ValidationError(
            {"span": "Was made on the current revision; delete it and select the text again."}
        )
    check_quote(paragraph=paragraph, start=start, end=end, quote=quote)
    anchor = (
        SpanAnchor.objects.select_for_update(of=("self",))
        .filter(span=span, revision=revision)
        .order_by("pk")  # the default ordering outer-joins the paragraph, which can't be locked
        .first()
    )
    if anchor is None:  # the revision was created without re-anchoring
        anchor = SpanAnchor(span=span, revision=revision, previous_quote=span.quote)
    anchor.paragraph, anchor.start, anchor.end, anchor.quote = paragraph, start, end, quote
    anchor.prefix, anchor.suffix = context_around(paragraph.text, start, end)
    anchor.status, anchor.score, anchor.needs_review = AnchorStatus.REATTACHED, None, False
    anchor.reviewed_by, anchor.reviewed_at = user, timezone.now()
    anchor.full_clean()
    acted_by(anchor, user).save()
    _touch_claims(span, user)
    return anchor


@transaction.atomic
def span_anchor_confirm(*, anchor: SpanAnchor, user: AbstractBaseUser) -> SpanAnchor:
    """A lead accepts a fuzzy or ambiguous placement as it stands."""
    require(access.can_reanchor(user), "Only leads re-attach or confirm re-anchored spans.")
    anchor = (
        SpanAnchor.objects.select_for_update(of=("self",))
        .select_related("revision")
        .get(pk=anchor.pk)
    )
    if anchor.status == AnchorStatus.ORPHANED:
        raise ValidationError({"status": "An orphan has no placement to confirm; re-attach it."})
    if anchor.revision != article_current_revision(anchor.revision.article):
        raise ValidationError({"revision": "Is not the current revision."})
    anchor.needs_review = False
    anchor.reviewed_by, anchor.reviewed_at = user, timezone.now()
    anchor.full_clean()
    acted_by(anchor, user).save(update_fields=["needs_review", "reviewed_by", "reviewed_at"])
    _touch_claims(anchor.span, user)
    return anchor
