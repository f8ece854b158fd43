"""Annotations on a paragraph of a revision: spans, the claims they make, the citations
of shared sources for and against each claim, and each reviewer's confidence in it.

Offsets are Unicode code points into ``Paragraph.text``, half-open ``[start, end)``:
``paragraph.text[start:end] == quote``. Browsers count UTF-16 code units, so a client
converts before sending (an emoji is one code point but two UTF-16 units). The database
checks what it can (bounds, quote length); the quote itself is checked against the
paragraph by ``annotate.services.span_create``, the only way spans are written.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length
from django.utils import timezone
from simple_history.models import HistoricalRecords

# The changes feed's table lives in its own package (annotate.changes); Django finds an
# app's models through this module.
from annotate.changes.models import Change, Scope  # noqa: F401
from annotate.reanchoring.anchoring import CONTEXT_LENGTH, Outcome
from annotate.webhooks.models import WebhookDelivery, WebhookEndpoint  # noqa: F401
from articles.models import Paragraph, Revision


class Span(models.Model):
    paragraph = models.ForeignKey(Paragraph, on_delete=models.PROTECT, related_name="spans")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    quote = models.TextField()
    prefix = models.CharField(max_length=CONTEXT_LENGTH, blank=True)
    suffix = models.CharField(max_length=CONTEXT_LENGTH, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="spans"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["paragraph", "start", "-end", "id"]
        indexes = [models.Index(fields=["paragraph", "start", "end"], name="span_position_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(start__gte=0) & Q(end__gt=F("start")), name="span_start_before_end"
            ),
            # Half of the quote rule the database can hold: the quote is as long as the range.
            models.CheckConstraint(
                condition=Q(end=F("start") + Length("quote")), name="span_quote_length_matches"
            ),
        ]

    def __str__(self) -> str:
        return f"“{self.quote[:60]}” (¶{self.paragraph.position} {self.start}–{self.end})"


class AnchorStatus(models.TextChoices):
    """How re-anchoring placed a span in a new revision (see annotate.reanchoring.anchoring)."""

    KEPT = Outcome.KEPT.value, "Kept"  # same paragraph position and offsets
    MOVED = Outcome.MOVED.value, "Moved"  # the exact quote, found elsewhere
    FUZZY = Outcome.FUZZY.value, "Placed by similarity"  # needs review
    # The exact quote, but several matches or unlike surroundings; needs review.
    AMBIGUOUS = Outcome.AMBIGUOUS.value, "Ambiguous"
    ORPHANED = Outcome.ORPHANED.value, "Orphaned"  # not found; a lead re-attaches it
    REATTACHED = "reattached", "Re-attached by a lead"


class SpanAnchor(models.Model):
    """Where a span sits in a revision after the one it was made on.

    A span keeps pointing at the paragraph it was made on, so its claims can always cite
    the text the reviewer read; each later revision gets one anchor per span, written when
    the revision is imported (annotate.reanchoring.reanchor). The current placement of every span is
    therefore its anchor in the newest revision, or the span itself if it was made there.

    ``quote``, ``prefix`` and ``suffix`` are the text in this revision; ``previous_quote``
    is the text where the span was placed before, so old and new can be shown side by
    side. An orphaned anchor has no placement and always needs review.
    """

    span = models.ForeignKey(Span, on_delete=models.CASCADE, related_name="anchors")
    revision = models.ForeignKey(Revision, on_delete=models.CASCADE, related_name="span_anchors")
    paragraph = models.ForeignKey(
        Paragraph, on_delete=models.PROTECT, null=True, blank=True, related_name="span_anchors"
    )
    start = models.PositiveIntegerField(null=True, blank=True)
    end = models.PositiveIntegerField(null=True, blank=True)
    quote = models.TextField(blank=True)
    prefix = models.CharField(max_length=CONTEXT_LENGTH, blank=True)
    suffix = models.CharField(max_length=CONTEXT_LENGTH, blank=True)
    previous_quote = models.TextField()
    status = models.CharField(max_length=12, choices=AnchorStatus.choices)
    # Similarity of quote and context, 0..100 (100 for exact placements); for an orphan,
    # the best score that fell short, if any came close enough to be scored.
    score = models.FloatField(null=True, blank=True)
    needs_review = models.BooleanField(default=False)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reviewed_anchors",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    # Recorded so that a deleted span's placements come back with it (restore.claim_restore);
    # imports write anchors in bulk, which history does not record: the rows are there.
    history = HistoricalRecords()

    class Meta:
        ordering = ["revision", "paragraph", "start", "span"]
        indexes = [models.Index(fields=["revision", "status"], name="span_anchor_status_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["span", "revision"], name="span_anchor_one_per_revision"
            ),
            models.CheckConstraint(
                condition=Q(status__in=AnchorStatus.values), name="span_anchor_status_valid"
            ),
            # Placed exactly when not orphaned, and then with the span rule's half the
            # database can hold (the service checks the quote against the paragraph).
            models.CheckConstraint(
                condition=(
                    Q(
                        status=AnchorStatus.ORPHANED,
                        paragraph__isnull=True,
                        start__isnull=True,
                        end__isnull=True,
                        quote="",
                    )
                    | (
                        ~Q(status=AnchorStatus.ORPHANED)
                        & Q(paragraph__isnull=False, start__isnull=False, end__isnull=False)
                        & Q(start__gte=0, end__gt=F("start"))
                        & Q(end=F("start") + Length("quote"))
                    )
                ),
                name="span_anchor_placed_unless_orphaned",
            ),
            models.CheckConstraint(
                condition=~Q(status=AnchorStatus.ORPHANED) | Q(needs_review=True),
                name="span_anchor_orphan_needs_review",
            ),
            models.CheckConstraint(
                condition=Q(reviewed_by__isnull=True, reviewed_at__isnull=True)
                | Q(reviewed_by__isnull=False, reviewed_at__isnull=False),
                name="span_anchor_review_attributed",
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=0, score__lte=100),
                name="span_anchor_score_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.span_id} in {self.revision}: {self.status}"


class ReanchorReport(models.Model):
    """What re-anchoring did when a revision was imported: one per imported revision."""

    revision = models.OneToOneField(
        Revision, on_delete=models.CASCADE, related_name="reanchor_report"
    )
    kept = models.PositiveIntegerField(default=0)
    moved = models.PositiveIntegerField(default=0)
    fuzzy = models.PositiveIntegerField(default=0)
    ambiguous = models.PositiveIntegerField(default=0)
    orphaned = models.PositiveIntegerField(default=0)
    # Includes placements carried over unconfirmed from an earlier revision.
    needs_review = models.PositiveIntegerField(default=0)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="revision_imports",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "revision import"

    def __str__(self) -> str:
        return f"Revision {self.revision.number} of {self.revision.article.slug}"

    @property
    def total(self) -> int:
        return self.kept + self.moved + self.fuzzy + self.ambiguous + self.orphaned

    def summary(self) -> str:
        return (
            f"{self.total} spans re-anchored into revision {self.revision.number}: "
            f"{self.kept} kept, {self.moved} moved, {self.fuzzy} fuzzy, "
            f"{self.ambiguous} ambiguous, {self.orphaned} orphaned; "
            f"review needed for {self.needs_review}"
        )


class ClaimKind(models.TextChoices):
    FACTUAL = "factual", "Factual"
    ATTRIBUTION = "attribution", "Attribution"
    CHARACTERIZATION = "characterization", "Characterization"
    OPINION = "opinion", "Opinion"
    PREDICTION = "prediction", "Prediction"
    OTHER = "other", "Other"


class Verdict(models.TextChoices):
    """A lead's adjudication, best to worst; blank means not adjudicated yet."""

    SUPPORTED = "supported", "Supported"
    MOSTLY_SUPPORTED = "mostly_supported", "Mostly supported"
    MIXED = "mixed", "Mixed"
    MOSTLY_UNSUPPORTED = "mostly_unsupported", "Mostly unsupported"
    UNSUPPORTED = "unsupported", "Unsupported"
    UNVERIFIABLE = "unverifiable", "Unverifiable"


class Claim(models.Model):
    # PROTECT: a span exists for its claims; services delete a span with its last claim.
    span = models.ForeignKey(Span, on_delete=models.PROTECT, related_name="claims")
    statement = models.TextField()
    kind = models.CharField(max_length=20, choices=ClaimKind.choices)
    attributed_to = models.CharField(
        max_length=300, blank=True, help_text="Who the report says made the claim."
    )
    verdict = models.CharField(max_length=20, choices=Verdict.choices, blank=True)
    verdict_rationale = models.TextField(blank=True)
    verdict_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="adjudicated_claims",
    )
    verdict_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="claims"
    )
    # Who made the claim elsewhere, as a bulk import named them, when no user here could be
    # recorded as its author (annotate.access.may_import_as): the importer is `created_by`,
    # and the original name is kept rather than lost. Blank for claims made here.
    imported_creator = models.CharField(
        max_length=300, blank=True, help_text="Who made the claim, as an imported file named them."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Two stamps, because not everyone sees the same claim (independent review): updated_at
    # moves with what everyone sees (its fields, verdict, sources, placement), and
    # notes_updated_at with its confidence notes. Who sees the notes sees the later of the
    # two (annotate.versioning.updated_at_seen_by). Bookkeeping, so not in history.
    updated_at = models.DateTimeField(auto_now=True)
    notes_updated_at = models.DateTimeField(default=timezone.now, editable=False)

    history = HistoricalRecords(excluded_fields=["notes_updated_at"])

    class Meta:
        ordering = ["span__paragraph", "span__start", "id"]
        permissions = [("adjudicate_claim", "Can set a claim's verdict")]
        indexes = [
            models.Index(fields=["updated_at"], name="claim_updated_idx"),
            models.Index(fields=["notes_updated_at"], name="claim_notes_updated_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(statement=""), name="claim_statement_not_empty"),
            models.CheckConstraint(condition=Q(kind__in=ClaimKind.values), name="claim_kind_valid"),
            models.CheckConstraint(
                condition=Q(verdict="") | Q(verdict__in=Verdict.values), name="claim_verdict_valid"
            ),
            # A verdict always says who set it and when; no verdict leaves both empty.
            models.CheckConstraint(
                condition=(
                    Q(verdict="", verdict_by__isnull=True, verdict_at__isnull=True)
                    | (~Q(verdict="") & Q(verdict_by__isnull=False, verdict_at__isnull=False))
                ),
                name="claim_verdict_attributed",
            ),
        ]

    def __str__(self) -> str:
        return self.statement[:80]


class Stance(models.TextChoices):
    SUPPORTS = "supports", "Supports"
    REFUTES = "refutes", "Refutes"
    CONTEXT = "context", "Gives context"


class Reliability(models.TextChoices):
    """The Admiralty (NATO) source-reliability scale."""

    A = "A", "A — Completely reliable"
    B = "B", "B — Usually reliable"
    C = "C", "C — Fairly reliable"
    D = "D", "D — Not usually reliable"
    E = "E", "E — Unreliable"
    F = "F", "F — Reliability cannot be judged"


class Credibility(models.IntegerChoices):
    """The Admiralty (NATO) information-credibility scale: how far this item is confirmed.

    Rated per citation, apart from the source's reliability: a reliable outlet can carry
    an unconfirmed item, and an unknown one a confirmed item."""

    CONFIRMED = 1, "1 — Confirmed by other sources"
    PROBABLY_TRUE = 2, "2 — Probably true"
    POSSIBLY_TRUE = 3, "3 — Possibly true"
    DOUBTFUL = 4, "4 — Doubtful"
    IMPROBABLE = 5, "5 — Improbable"
    CANNOT_BE_JUDGED = 6, "6 — Truth cannot be judged"


class Source(models.Model):
    """A document or outlet, recorded once for the whole Claimdesk instance (the
    workspace): every claim cites it through a Citation, and every claim shows its
    reliability. `url` is normalised (annotate.sources.normalise_url), so trivially
    different addresses of one document are one source; the unique constraint holds it.

    Reliability is the source's track record, so it is a property of the source: who set
    it last and when are kept on the row (every claim shows them without reading history),
    and history keeps every earlier letter with who set it."""

    url = models.URLField(max_length=2000, unique=True)
    title = models.CharField(max_length=500)
    publisher = models.CharField(max_length=200, blank=True)
    published_on = models.DateField(null=True, blank=True)
    archive_url = models.URLField(
        max_length=2000, blank=True, help_text="An archived copy (e.g. the Wayback Machine)."
    )
    reliability = models.CharField(max_length=1, choices=Reliability.choices)
    reliability_set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reliability_set_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="sources"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["title", "id"]
        indexes = [models.Index(fields=["updated_at"], name="source_updated_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(url="") & ~Q(title=""), name="source_url_title_set"
            ),
            models.CheckConstraint(
                condition=Q(reliability__in=Reliability.values), name="source_reliability_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Citation(models.Model):
    """A claim citing a source: how it bears on the claim, the excerpt relied on, and how
    far this item is confirmed (its Admiralty credibility, 1–6)."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="citations")
    # PROTECT: a source stays while anything cites it (sources are never deleted).
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="citations")
    excerpt = models.TextField(blank=True)
    stance = models.CharField(max_length=10, choices=Stance.choices)
    credibility = models.PositiveSmallIntegerField(choices=Credibility.choices)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="citations"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["claim", "stance", "id"]
        indexes = [models.Index(fields=["updated_at"], name="citation_updated_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(stance__in=Stance.values), name="citation_stance_valid"
            ),
            models.CheckConstraint(
                condition=Q(credibility__gte=1) & Q(credibility__lte=6),
                name="citation_credibility_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} ({self.get_stance_display()})"


class Likelihood(models.IntegerChoices):
    """The seven likelihood terms of US Intelligence Community Directive 203.

    Stored as 1..7 so that spread and agreement can be computed on the ordinal scale.
    """

    ALMOST_NO_CHANCE = 1, "Almost no chance (1–5%)"
    VERY_UNLIKELY = 2, "Very unlikely (5–20%)"
    UNLIKELY = 3, "Unlikely (20–45%)"
    ROUGHLY_EVEN = 4, "Roughly even chance (45–55%)"
    LIKELY = 5, "Likely (55–80%)"
    VERY_LIKELY = 6, "Very likely (80–95%)"
    ALMOST_CERTAIN = 7, "Almost certain (95–99%)"


class AnalyticConfidence(models.TextChoices):
    """ICD 203's analytic confidence: how good the evidence and reasoning behind a
    judgement are, which is kept apart from how likely the claim is (likelihood).

    Ordered low to high (the agreement page treats it as ordinal, in this order).
    """

    LOW = "low", "Low"
    MODERATE = "moderate", "Moderate"
    HIGH = "high", "High"


class ConfidenceNote(models.Model):
    """One reviewer's own judgement of a claim: how likely it is to be true, how confident
    the analysis behind that is (ICD 203 keeps the two apart), and why.

    `analytic_confidence` is NULL only on notes recorded before it existed (migration
    0008): nobody judged it then, and inventing a value would put words in a reviewer's
    mouth. The service requires it on every note it writes, new or revised, so a legacy
    note gets one the first time its reviewer revises it. The database cannot tell a
    legacy note from a new one, so its constraint admits NULL and the three values.
    """

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="notes")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="confidence_notes"
    )
    likelihood = models.PositiveSmallIntegerField(choices=Likelihood.choices)
    # NULL, not "": on a legacy note it was never judged (see above). Not blank: so
    # full_clean, and with it the service, refuses None on every save.
    analytic_confidence = models.CharField(  # noqa: DJ001 (NULL means never judged)
        max_length=8,
        choices=AnalyticConfidence.choices,
        null=True,
        error_messages={"blank": "Say how confident the analysis is: low, moderate or high."},
    )
    rationale = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["claim", "created_at", "id"]
        indexes = [models.Index(fields=["updated_at"], name="confidence_note_updated_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["claim", "reviewer"], name="confidence_note_one_per_reviewer"
            ),
            models.CheckConstraint(
                condition=Q(likelihood__gte=1) & Q(likelihood__lte=7),
                name="confidence_note_likelihood_range",
            ),
            models.CheckConstraint(
                condition=Q(analytic_confidence__isnull=True)
                | Q(analytic_confidence__in=AnalyticConfidence.values),
                name="confidence_note_analytic_confidence_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reviewer}: {self.get_likelihood_display()}"


class RelationType(models.TextChoices):
    """How one claim of an article bears on another."""

    CONTRADICTS = "contradicts", "Contradicts"
    CORROBORATES = "corroborates", "Corroborates"
    SAME_AS = "same_as", "Same claim as"  # a duplicate, worded differently
    PART_OF = "part_of", "Part of"  # from_claim is part of to_claim


# Symmetric types say the same read either way (A contradicts B is B contradicts A), so
# they are stored once, in canonical order: from_claim has the lower id. "Part of" reads
# one way only: from_claim is part of to_claim.
SYMMETRIC_RELATIONS = frozenset(
    {RelationType.CONTRADICTS, RelationType.CORROBORATES, RelationType.SAME_AS}
)


class ClaimRelation(models.Model):
    """A link between two claims of the same article (annotate.relations writes them).

    The database holds what it can: no claim related to itself, one relation of a type
    per pair, and the canonical order of the symmetric types, so that A–B and B–A cannot
    both be stored. That both claims belong to one article is the service's rule.
    """

    from_claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="relations_from")
    to_claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="relations_to")
    type = models.CharField(max_length=20, choices=RelationType.choices)
    rationale = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="claim_relations"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["from_claim", "to_claim", "type", "id"]
        indexes = [
            models.Index(fields=["to_claim", "type"], name="claim_relation_to_idx"),
            models.Index(fields=["updated_at"], name="claim_relation_updated_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["from_claim", "to_claim", "type"], name="claim_relation_unique"
            ),
            models.CheckConstraint(
                condition=~Q(from_claim=F("to_claim")), name="claim_relation_not_self"
            ),
            models.CheckConstraint(
                condition=Q(type__in=RelationType.values), name="claim_relation_type_valid"
            ),
            models.CheckConstraint(
                condition=Q(type=RelationType.PART_OF) | Q(from_claim__lt=F("to_claim")),
                name="claim_relation_symmetric_canonical",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_claim_id} {self.get_type_display().lower()} {self.to_claim_id}"


# The changes feed's table lives in its own package (annotate.changes); Django finds an
# app's models through this module.
