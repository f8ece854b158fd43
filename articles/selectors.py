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
    return not later_revisions(paragraph).exists()


def later_revisions(paragraph: Paragraph) -> QuerySet[Revision]:
    """The revisions of the paragraph's article after the paragraph's own: none when it is
    current (a writer may ask `~Exists` of it in a query of its own checks)."""
    return Revision.objects.filter(
        article_id=paragraph.revision.article_id, number__gt=paragraph.revision.number
    )
