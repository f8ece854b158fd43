"""Reads of articles and their text."""

from __future__ import annotations

from django.db.models import QuerySet

from articles.models import Article, Paragraph, Revision


def article_current_revision(article: Article) -> Revision | None:
    """The newest revision: the article's current text."""
    return article.revisions.order_by("-number").first()


def revision_paragraphs(revision: Revision) -> QuerySet[Paragraph]:
    return revision.paragraphs.order_by("position")


def paragraph_is_current(paragraph: Paragraph) -> bool:
    """Whether the paragraph belongs to its article's newest revision."""
    return not Revision.objects.filter(
        article_id=paragraph.revision.article_id, number__gt=paragraph.revision.number
    ).exists()
