"""Writes to articles and their text. Every function runs in one transaction."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from articles.models import PARAGRAPH_SEPARATOR, Article, Paragraph, Revision
from articles.report_format import ParsedReport


def canonical_text(paragraphs: Sequence[str]) -> str:
    """The revision's text as one string: what export offsets and checksums refer to."""
    return PARAGRAPH_SEPARATOR.join(paragraphs)


def text_checksum(paragraphs: Sequence[str]) -> str:
    return hashlib.sha256(canonical_text(paragraphs).encode("utf-8")).hexdigest()


def slug_for(title: str) -> str:
    """The slug an article gets from its title when nothing names one."""
    return slugify(title)[:100].strip("-")


@transaction.atomic
def article_import(*, report: ParsedReport, slug: str = "", title: str = "") -> Article:
    """Create an article and its first revision from a parsed report file.

    Title and slug come from the arguments, else the front matter; a slug is derived
    from the title when neither names one.
    """
    meta = report.meta
    title = title or meta.get("title", "")
    if not title:
        raise ValidationError({"title": "A title is needed: pass one or set it in front matter."})
    slug = slug or meta.get("slug", "") or slug_for(title)
    if Article.objects.filter(slug=slug).exists():
        raise ValidationError({"slug": f"An article with the slug {slug!r} already exists."})
    article = Article(
        slug=slug,
        title=title,
        standfirst=report.paragraphs[0],
        publisher=meta.get("publisher", ""),
        url=meta.get("url", ""),
        published_on=report.published_on,
        language=meta.get("language") or "en",
    )
    article.full_clean()
    article.save()
    revision_create(article=article, paragraphs=report.paragraphs, note=meta.get("note", ""))
    return article


@transaction.atomic
def revision_create(*, article: Article, paragraphs: Sequence[str], note: str = "") -> Revision:
    """Add the next revision of an article's text and make it the current one."""
    if not paragraphs or any(not text.strip() for text in paragraphs):
        raise ValidationError({"paragraphs": "A revision needs at least one non-empty paragraph."})
    # Lock the article so that two imports cannot both take the same next number.
    article = Article.objects.select_for_update().get(pk=article.pk)
    last = article.revisions.order_by("-number").values_list("number", flat=True).first()
    revision = Revision(
        article=article,
        number=(last or 0) + 1,
        note=note,
        checksum=text_checksum(paragraphs),
    )
    revision.full_clean()
    revision.save()
    Paragraph.objects.bulk_create(
        Paragraph(revision=revision, position=position, text=text)
        for position, text in enumerate(paragraphs, start=1)
    )
    if article.standfirst != paragraphs[0]:
        article.standfirst = paragraphs[0]
        article.save(update_fields=["standfirst", "updated_at"])
    return revision
