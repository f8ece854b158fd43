"""Reads of annotations, each owning its joins so that callers never trigger N+1 queries."""

from __future__ import annotations

from django.db.models import Count, Max, Prefetch, Q, QuerySet

from annotate.models import Claim, ConfidenceNote, Source, Span
from articles.models import Article


def article_list_with_counts() -> QuerySet[Article]:
    """Articles with the counts the article list shows, in one query."""
    return Article.objects.annotate(
        claim_count=Count("revisions__paragraphs__spans__claims", distinct=True),
        source_count=Count("revisions__paragraphs__spans__claims__sources", distinct=True),
        reviewer_count=Count(
            "revisions__paragraphs__spans__claims__notes__reviewer", distinct=True
        ),
    )


def claims_for_article(article: Article) -> QuerySet[Claim]:
    return (
        Claim.objects.filter(span__paragraph__revision__article=article)
        .select_related("span__paragraph__revision", "created_by", "verdict_by")
        .annotate(
            source_count=Count("sources", distinct=True),
            note_count=Count("notes", distinct=True),
            refuting=Count("sources", filter=Q(sources__stance="refutes"), distinct=True),
        )
    )


# The data API's reads (annotate.api). Each list is one query per page plus one per
# prefetched relation, however many rows it holds.


def api_articles() -> QuerySet[Article]:
    """Articles with their current revision number."""
    return Article.objects.annotate(current_revision=Max("revisions__number"))


def api_spans() -> QuerySet[Span]:
    return Span.objects.select_related("paragraph__revision__article", "created_by")


def api_sources() -> QuerySet[Source]:
    return Source.objects.select_related("added_by")


def api_confidence_notes() -> QuerySet[ConfidenceNote]:
    return ConfidenceNote.objects.select_related("reviewer")


def api_claims(*, with_note_reviewers: bool = False) -> QuerySet[Claim]:
    """Claims with their span, sources and notes, as the API and the exports show them."""
    notes = ConfidenceNote.objects.order_by("created_at", "id")
    if with_note_reviewers:
        notes = notes.select_related("reviewer")
    else:
        notes = notes.only("id", "claim_id", "likelihood")
    return Claim.objects.select_related(
        "span__paragraph__revision__article", "created_by", "verdict_by"
    ).prefetch_related(
        Prefetch("sources", queryset=api_sources().order_by("stance", "id")),
        Prefetch("notes", queryset=notes),
    )


def claims_of_article(
    article: Article, *, revision: int | None = None, with_note_reviewers: bool = False
) -> QuerySet[Claim]:
    """An article's claims in reading order: by revision, paragraph, offset."""
    claims = api_claims(with_note_reviewers=with_note_reviewers).filter(
        span__paragraph__revision__article=article
    )
    if revision is not None:
        claims = claims.filter(span__paragraph__revision__number=revision)
    return claims.order_by(
        "span__paragraph__revision__number", "span__paragraph__position", "span__start", "id"
    )
