"""Reads of annotations, each owning its joins so that callers never trigger N+1 queries."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import get_user_model
from django.db.models import (
    Count,
    Exists,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce

from annotate.disagreement import disputed_q, with_note_range
from annotate.models import Claim, ConfidenceNote, Source, Span
from articles.models import Article, Revision


def article_list_with_counts() -> QuerySet[Article]:
    """Articles with the counts the article list shows, in one query."""
    return Article.objects.annotate(
        claim_count=Count("revisions__paragraphs__spans__claims", distinct=True),
        source_count=Count("revisions__paragraphs__spans__claims__sources", distinct=True),
        reviewer_count=Count(
            "revisions__paragraphs__spans__claims__notes__reviewer", distinct=True
        ),
    )


# The workspace: every read its page needs, each one query whatever the number of claims.


def _source_count() -> Coalesce:
    per_claim = (
        Source.objects.filter(claim=OuterRef("pk"))
        .order_by()
        .values("claim")
        .annotate(n=Count("*"))
        .values("n")
    )
    return Coalesce(Subquery(per_claim, output_field=IntegerField()), 0)


def workspace_claims(revision: Revision) -> QuerySet[Claim]:
    """The revision's claims in reading order, with what their highlight and row show:
    note_count/note_min/note_max (for "disputed") and source_count."""
    claims = (
        Claim.objects.filter(span__paragraph__revision=revision)
        .select_related("span")
        .only(
            "id",
            "statement",
            "kind",
            "verdict",
            "created_by_id",
            "updated_at",
            "span__id",
            "span__paragraph_id",
            "span__start",
            "span__end",
        )
    )
    return (
        with_note_range(claims)
        .annotate(source_count=_source_count())
        .order_by("span__paragraph__position", "span__start", "-span__end", "id")
    )


@dataclass(frozen=True)
class ClaimFilters:
    kind: str = ""
    verdict: str = ""  # a Verdict value, "none" for not adjudicated yet, "" for any
    reviewer: str = ""  # a username: claims they made or noted
    disputed: bool = False
    without_sources: bool = False
    q: str = ""

    @property
    def active(self) -> bool:
        return any(
            (self.kind, self.verdict, self.reviewer, self.disputed, self.without_sources, self.q)
        )


def filter_claims(claims: QuerySet[Claim], filters: ClaimFilters) -> QuerySet[Claim]:
    """Narrow a `workspace_claims` queryset; every condition runs in SQL."""
    if filters.kind:
        claims = claims.filter(kind=filters.kind)
    if filters.verdict == "none":
        claims = claims.filter(verdict="")
    elif filters.verdict:
        claims = claims.filter(verdict=filters.verdict)
    if filters.reviewer:
        noted = ConfidenceNote.objects.filter(
            claim=OuterRef("pk"), reviewer__username=filters.reviewer
        )
        claims = claims.filter(Q(created_by__username=filters.reviewer) | Exists(noted))
    if filters.disputed:
        claims = claims.filter(disputed_q())
    if filters.without_sources:
        claims = claims.filter(source_count=0)
    if filters.q:
        claims = claims.filter(
            Q(statement__icontains=filters.q)
            | Q(span__quote__icontains=filters.q)
            | Q(attributed_to__icontains=filters.q)
        )
    return claims


def workspace_reviewers(revision: Revision) -> QuerySet:
    """People who made a claim or a note on the revision, for the reviewer filter."""
    made = Claim.objects.filter(span__paragraph__revision=revision).values("created_by")
    noted = ConfidenceNote.objects.filter(claim__span__paragraph__revision=revision).values(
        "reviewer"
    )
    return (
        get_user_model()
        .objects.filter(Q(pk__in=made) | Q(pk__in=noted))
        .only("pk", "username")
        .order_by("username")
    )


def claim_for_panel(revision: Revision, pk: int) -> Claim | None:
    """One claim of the revision with everything its panel shows, in three queries."""
    return (
        Claim.objects.filter(pk=pk, span__paragraph__revision=revision)
        .select_related("span__paragraph", "created_by", "verdict_by")
        .prefetch_related(
            Prefetch("sources", queryset=Source.objects.select_related("added_by")),
            Prefetch(
                "notes", queryset=ConfidenceNote.objects.select_related("reviewer").order_by("id")
            ),
        )
        .first()
    )


def claims_at(revision: Revision, *, position: int, offset: int) -> QuerySet[Claim]:
    """The claims whose span covers the given code point of a paragraph, outermost first."""
    return (
        Claim.objects.filter(
            span__paragraph__revision=revision,
            span__paragraph__position=position,
            span__start__lte=offset,
            span__end__gt=offset,
        )
        .select_related("span")
        .order_by("span__start", "-span__end", "id")
    )


def change_stamp(revision_id: int, count: int, latest: datetime | None) -> str:
    """What an open workspace holds of the current revision's claims: which revision, how
    many claims, and the newest change. A claim's updated_at moves with its sources and
    notes (and on restore), a delete lowers the count: any write changes the stamp."""
    micros = int(latest.timestamp() * 1_000_000) if latest else 0
    return f"{revision_id}-{count}-{micros}"


def current_change_stamp(article_slug: str) -> str:
    """The stamp of the article's current revision now, in one query (see change_stamp)."""
    current = (
        Revision.objects.filter(article__slug=article_slug).order_by("-number").values("pk")[:1]
    )
    row = (
        Revision.objects.filter(pk=Subquery(current))
        .annotate(
            claim_count=Count("paragraphs__spans__claims"),
            latest=Max("paragraphs__spans__claims__updated_at"),
        )
        .values("pk", "claim_count", "latest")
        .first()
    )
    if row is None:
        return ""
    return change_stamp(row["pk"], row["claim_count"], row["latest"])


def disputed_counts_by_article() -> dict[int, int]:
    """How many disputed claims each article has, in one query."""
    disputed = with_note_range(Claim.objects.all()).filter(disputed_q())
    return Counter(disputed.values_list("span__paragraph__revision__article_id", flat=True))


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
