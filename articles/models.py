"""A report, the revisions of its text, and the ordered paragraphs of each revision.

Paragraphs belong to a revision, not to the article: when a report is revised its new
text becomes revision N+1 and annotations made on revision N stay anchored where they
were until they are re-anchored. The article's current text is its newest revision.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse

# Paragraphs of a revision's canonical text are joined by one blank line; offsets into
# that text (exports, checksums) depend on this separator, so it is defined once here.
PARAGRAPH_SEPARATOR = "\n\n"


class Article(models.Model):
    slug = models.SlugField(max_length=100, unique=True)
    title = models.CharField(max_length=300)
    # A copy of the first paragraph of the newest revision, for listings. The paragraph
    # itself stays in the revision so that it can be annotated like any other.
    standfirst = models.TextField(blank=True)
    publisher = models.CharField(max_length=200, blank=True)
    url = models.URLField(max_length=2000, blank=True)
    published_on = models.DateField(null=True, blank=True)
    language = models.CharField(max_length=35, default="en", help_text="BCP 47 tag, e.g. en, ar")
    independent_review = models.BooleanField(
        default=True,
        help_text="Reviewers see others' confidence notes on a claim, and their summary, "
        "only after recording their own (leads and researchers always see them).",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-published_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(slug="") & ~Q(title=""), name="article_slug_and_title_not_empty"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("annotate:workspace", kwargs={"slug": self.slug})


class Revision(models.Model):
    """One version of an article's text, numbered 1..n in import order."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    imported_at = models.DateTimeField(auto_now_add=True)
    note = models.CharField(max_length=500, blank=True)
    # SHA-256 of the canonical text (paragraphs joined by PARAGRAPH_SEPARATOR), in hex:
    # re-importing an unchanged file is detected, and exports can cite the exact text.
    checksum = models.CharField(max_length=64)

    class Meta:
        ordering = ["article", "number"]
        get_latest_by = "number"
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="revision_number_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="revision_number_positive"),
            models.CheckConstraint(
                condition=Q(checksum__regex=r"^[0-9a-f]{64}$"), name="revision_checksum_sha256"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.article} — revision {self.number}"


class Paragraph(models.Model):
    """A paragraph of a revision; position counts from 1 in reading order.

    Offsets into ``text`` are counted in Unicode code points, as Python indexes strings.
    Browsers count UTF-16 code units, so a character outside the Basic Multilingual Plane
    (an emoji, say) is one code point here and two units there: the client converts.
    """

    revision = models.ForeignKey(Revision, on_delete=models.CASCADE, related_name="paragraphs")
    position = models.PositiveIntegerField()
    text = models.TextField()

    class Meta:
        ordering = ["revision", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["revision", "position"], name="paragraph_position_unique"
            ),
            models.CheckConstraint(
                condition=Q(position__gte=1), name="paragraph_position_positive"
            ),
            models.CheckConstraint(condition=~Q(text=""), name="paragraph_text_not_empty"),
        ]

    def __str__(self) -> str:
        return f"¶{self.position}"
