"""Reads of annotations, each owning its joins so that callers never trigger N+1 queries."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from annotate.models import Claim
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
