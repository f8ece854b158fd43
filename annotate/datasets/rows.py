"""The rows of each table of an article's data package, as querysets read in chunks.

Access rules are the exports': the claims are the export's (selectors.claims_of_article,
with `updated_at` as the user sees it, versioning.SEEN), their notes are those the user
sees (selectors.api_confidence_notes, i.e. access.visible_notes_q), and links are those
between two exported claims (exports.exported_relations). Citations and sources follow
their claims. The article's text (revisions, paragraphs) and selections (spans and their
placements) are not restricted, as in the API.
"""

from __future__ import annotations

from django.db.models import QuerySet

from annotate import selectors
from annotate.api.exports import exported_relations
from annotate.datasets import tables
from annotate.datasets.tables import Table
from annotate.models import Citation, Claim, Source, Span, SpanAnchor
from articles.models import Article, Paragraph, Revision


def table_querysets(
    article: Article, claims: QuerySet[Claim], user, *, revision: int | None
) -> dict[Table, QuerySet]:
    """Each table's rows: `claims` is the export's selection (of `revision`, if given)."""
    claim_ids = claims.order_by().values("pk")
    spans = Span.objects.filter(paragraph__revision__article=article)
    if revision is not None:
        spans = spans.filter(paragraph__revision__number=revision)
    citations = Citation.objects.filter(claim__in=claim_ids)
    querysets: dict[Table, QuerySet] = {
        tables.ARTICLES: Article.objects.filter(pk=article.pk),
        tables.REVISIONS: Revision.objects.filter(article=article),
        tables.PARAGRAPHS: Paragraph.objects.filter(revision__article=article),
        tables.SPANS: spans,
        tables.SPAN_ANCHORS: SpanAnchor.objects.filter(span__in=spans.values("pk")),
        tables.CLAIMS: claims.prefetch_related(None),
        tables.SOURCES: Source.objects.filter(pk__in=citations.values("source_id")),
        tables.CITATIONS: citations,
        tables.NOTES: selectors.api_confidence_notes(user).filter(claim__in=claim_ids),
        tables.RELATIONS: exported_relations(claims),
    }
    return {
        table: queryset.order_by(table.primary_key).values_list(*table.lookups)
        for table, queryset in querysets.items()
    }
