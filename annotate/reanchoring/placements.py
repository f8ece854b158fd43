"""Where spans are in a given revision: the reads behind highlights and the orphan list.

A span's placement in a revision is the span itself when it was made on that revision,
else its SpanAnchor for that revision (see annotate.reanchoring.reanchor for why both
exist). Each selector is one query and returns a queryset, so callers add their own
`prefetch_related("claims")` without N+1 queries.
"""

from __future__ import annotations

from django.db.models import (
    BooleanField,
    Exists,
    F,
    FilteredRelation,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce

from annotate.models import AnchorStatus, Claim, Span, SpanAnchor
from articles.models import Article, Revision


def _placed_in(queryset: QuerySet, revision: Revision, span: str = "") -> QuerySet:
    """`queryset` (of spans, or of rows that reach a span through the path `span`, such
    as "span__") narrowed to the spans placed in the revision and annotated with where:
    the one definition of a placement that spans and claims share."""
    here = FilteredRelation(f"{span}anchors", condition=Q(**{f"{span}anchors__revision": revision}))
    # A span is placed only in revisions of its own article, so the article's condition
    # changes no result; it gives the planner an index path (article, its revisions, their
    # paragraphs, spans, claims) where the OR below alone, across a left join, can only be
    # checked on every span of the database (a scan of every article's rows).
    article = {f"{span}paragraph__revision__article_id": revision.article_id}
    return (
        queryset.annotate(here=here)
        .filter(**article)
        .filter(Q(**{f"{span}paragraph__revision": revision}) | Q(here__paragraph__isnull=False))
        .annotate(
            placed_paragraph_id=Coalesce(F("here__paragraph_id"), F(f"{span}paragraph_id")),
            placed_position=Coalesce(
                F("here__paragraph__position"), F(f"{span}paragraph__position")
            ),
            placed_start=Coalesce(F("here__start"), F(f"{span}start")),
            placed_end=Coalesce(F("here__end"), F(f"{span}end")),
            placed_quote=Coalesce(F("here__quote"), F(f"{span}quote")),
            anchor_id=F("here__id"),
            anchor_status=F("here__status"),
            needs_review=Coalesce(
                F("here__needs_review"), Value(False), output_field=BooleanField()
            ),
            previous_quote=F("here__previous_quote"),
        )
    )


def spans_in_revision(revision: Revision) -> QuerySet[Span]:
    """Every span placed in the revision, in reading order, annotated with its placement.

    Annotations: placed_paragraph_id, placed_position, placed_start, placed_end,
    placed_quote; anchor_id and anchor_status (None for spans made on this revision),
    needs_review and previous_quote (the text before re-anchoring, for showing old beside
    new). Orphans are left out: they have no place here (see `orphaned_spans`).
    """
    return _placed_in(Span.objects.all(), revision).order_by(
        "placed_position", "placed_start", "-placed_end", "id"
    )


def claims_in_revision(revision: Revision) -> QuerySet[Claim]:
    """Every claim whose span is placed in the revision, annotated like `spans_in_revision`
    (placed_paragraph_id, placed_position, placed_start, placed_end, placed_quote,
    anchor_id, anchor_status, needs_review, previous_quote): the same placement, seen
    from the claim, so a claim list stays one query."""
    return _placed_in(Claim.objects.all(), revision, "span__")


def _current_revision_id(article: Article) -> Subquery:
    return Subquery(Revision.objects.filter(article=article).order_by("-number").values("pk")[:1])


def orphaned_spans(article: Article) -> QuerySet[Span]:
    """Spans of the article with no place in its current revision, for leads to re-attach.

    Besides orphaned anchors this finds spans that were never re-anchored (a revision
    created without annotate.reanchoring.reanchor), so no span can go missing from view.
    Annotated with last_quote: the text the span was last placed on.
    """
    current = _current_revision_id(article)
    placed_here = SpanAnchor.objects.filter(
        span=OuterRef("pk"), revision=current, paragraph__isnull=False
    )
    last_placed = (
        SpanAnchor.objects.filter(span=OuterRef("pk"), paragraph__isnull=False)
        .order_by("-revision__number")
        .values("quote")[:1]
    )
    return (
        Span.objects.filter(paragraph__revision__article=article)
        .exclude(paragraph__revision=current)
        .exclude(Exists(placed_here))
        .annotate(last_quote=Coalesce(Subquery(last_placed), F("quote")))
        .select_related("paragraph__revision")
        .order_by("paragraph__revision__number", "paragraph__position", "start", "id")
    )


def anchors_needing_review(article: Article) -> QuerySet[SpanAnchor]:
    """Placements in the current revision that a lead should check: fuzzy, ambiguous,
    orphaned, or carried over unconfirmed."""
    return (
        SpanAnchor.objects.filter(revision=_current_revision_id(article), needs_review=True)
        .select_related("span__paragraph__revision", "paragraph")
        .order_by(F("paragraph__position").asc(nulls_last=True), "start", "span_id")
    )


def target_anchors(revision: int | None = None) -> QuerySet[SpanAnchor]:
    """Anchors in revision `revision` of their article (the current revision when None):
    filter by span for the placements of those spans in their target revision."""
    if revision is None:
        newer = Revision.objects.filter(
            article=OuterRef("revision__article"), number__gt=OuterRef("revision__number")
        )
        return SpanAnchor.objects.filter(~Exists(newer))
    return SpanAnchor.objects.filter(revision__number=revision)


def with_target_revision(claims: QuerySet[Claim], *, revision: int | None = None) -> QuerySet:
    """Claims annotated with `target_revision` (revision `revision` of their article, the
    current one when None; None when there is no such revision) and `made_on` (the number
    of the revision their span was made on)."""
    articles_revisions = Revision.objects.filter(
        article=OuterRef("span__paragraph__revision__article")
    )
    if revision is None:
        target = articles_revisions.order_by("-number").values("number")[:1]
    else:
        target = articles_revisions.filter(number=revision).values("number")[:1]
    return claims.annotate(
        target_revision=Subquery(target), made_on=F("span__paragraph__revision__number")
    )


def with_placement(claims: QuerySet[Claim], *, revision: int | None = None) -> QuerySet[Claim]:
    """Claims ready for `placement_of`: where each span is in revision `revision` of its
    article (the current revision when None). One more query for the anchors, however many
    claims: `target_revision` and `made_on` are annotations, the anchors a prefetch."""
    return with_target_revision(claims, revision=revision).prefetch_related(
        Prefetch(
            "span__anchors",
            queryset=target_anchors(revision).select_related("paragraph").order_by("pk"),
            to_attr="target_anchors",
        )
    )


def placement_from(
    number: int | None, made_on: int, *, made_here: dict, anchor: dict | None
) -> dict | None:
    """The rule behind `placement_of`, on plain values: `made_here` holds paragraph,
    paragraph_position, start, end and quote of the span as made, `anchor` those and
    status and needs_review of its placed anchor in revision `number` (None if none)."""
    if number is None or number < made_on:
        return None
    placement = {
        "revision": number,
        "status": "made_here",
        "needs_review": False,
        "paragraph": None,
        "paragraph_position": None,
        "start": None,
        "end": None,
        "quote": None,
    }
    if number == made_on:
        return placement | made_here
    if anchor is None or anchor["paragraph"] is None:
        # Never re-anchored (a revision made without annotate.reanchoring.reanchor) counts
        # as orphaned, as in `orphaned_spans`.
        return placement | {"status": AnchorStatus.ORPHANED.value, "needs_review": True}
    return placement | anchor


def placement_of(claim: Claim) -> dict | None:
    """The claim's placement in its `target_revision` (see `with_placement`): None when the
    article has no such revision or the span was made after it."""
    span = claim.span
    made_here = {
        "paragraph": span.paragraph_id,
        "paragraph_position": span.paragraph.position,
        "start": span.start,
        "end": span.end,
        "quote": span.quote,
    }
    found = next(iter(span.target_anchors), None)
    anchor = None
    if found is not None and found.paragraph is not None:
        anchor = {
            "status": found.status,
            "needs_review": found.needs_review,
            "paragraph": found.paragraph_id,
            "paragraph_position": found.paragraph.position,
            "start": found.start,
            "end": found.end,
            "quote": found.quote,
        }
    return placement_from(claim.target_revision, claim.made_on, made_here=made_here, anchor=anchor)
