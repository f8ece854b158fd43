"""Query filters for the lists. Relations are filtered with EXISTS subqueries rather than
joins, so a claim with two refuting citations still appears once. The claims' filters are
the workspace's (annotate.claim_filters)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters as filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django_filters.fields import IsoDateTimeField
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from annotate import selectors
from annotate.claim_filters import NO_VERDICT, VERDICT_CHOICES, ClaimFilters, filter_claims
from annotate.judgements import NOT_RECORDED
from annotate.models import (
    AnalyticConfidence,
    Citation,
    Claim,
    ClaimKind,
    ClaimRelation,
    ConfidenceNote,
    Credibility,
    Likelihood,
    RelationType,
    Reliability,
    Source,
    Span,
    Stance,
)
from annotate.selectors import source_text_q
from annotate.sources import normalise_url


class UtcIsoDateTimeField(IsoDateTimeField):
    """ISO 8601, turned into UTC here: an offset PostgreSQL refuses (+23:19) or a moment
    that falls outside years 1..9999 in UTC is a 400, not a database error."""

    def to_python(self, value: Any) -> dt.datetime | None:
        parsed = super().to_python(value)
        if parsed is None:
            return None
        try:
            return parsed.astimezone(dt.UTC)
        except OverflowError:
            raise ValidationError("Out of range.", code="invalid") from None


class ChangedAfterFilter(filters.IsoDateTimeFilter):
    field_class = UtcIsoDateTimeField


MAX_ID = 2**63 - 1  # the largest id SQLite and PostgreSQL store


@extend_schema_field(OpenApiTypes.INT)  # not `number`: a generated client would send 1.0
class IdFilter(filters.NumberFilter):
    """Whole numbers in the databases' range only: django-filter's NumberFilter would
    truncate 1.5, and a number past 64 bits would reach the database driver and fail there."""

    field_class = forms.IntegerField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class ClaimFilter(filters.FilterSet):
    """Where a claim is (article, revision, paragraph, span) and when it changed are
    plain lookups; every other filter only parses its parameter here and means what it
    means in the workspace (annotate.claim_filters)."""

    article = filters.CharFilter(
        field_name="span__paragraph__revision__article__slug", help_text="Article slug."
    )
    revision = IdFilter(
        field_name="span__paragraph__revision__number", help_text="Revision number."
    )
    paragraph = IdFilter(field_name="span__paragraph_id", help_text="Paragraph id.")
    span = IdFilter(field_name="span_id")
    kind = filters.ChoiceFilter(choices=ClaimKind.choices, method="filter_shared")
    verdict = filters.ChoiceFilter(
        choices=VERDICT_CHOICES,
        method="filter_shared",
        help_text=f"A verdict, or `{NO_VERDICT}` for claims not adjudicated yet.",
    )
    stance = filters.ChoiceFilter(
        choices=Stance.choices, method="filter_shared", help_text="Has a citation of this stance."
    )
    reliability = filters.ChoiceFilter(
        choices=Reliability.choices,
        method="filter_shared",
        help_text="Cites a source of this reliability.",
    )
    reviewer = filters.CharFilter(
        method="filter_text",
        help_text="Username: claims they made or have a confidence note on (notes as "
        "independent review lets you see them).",
    )
    created_by = filters.CharFilter(method="filter_text", help_text="Username: claims they made.")
    has_sources = filters.BooleanFilter(method="filter_flag")
    disputed = filters.BooleanFilter(
        method="filter_flag",
        help_text="Reviewers' likelihoods are far apart (as far as you may see them).",
    )
    updated_after = ChangedAfterFilter(
        method="filter_updated_after",
        help_text="Changed after this ISO 8601 time (a claim changes with its sources and "
        "the notes you may see): for incremental sync.",
    )
    q = filters.CharFilter(
        method="filter_text",
        help_text="Text in the statement, the quote or whom the claim is attributed to.",
    )

    class Meta:
        model = Claim
        fields: list[str] = []

    def filter_shared(self, queryset: QuerySet, name: str, value: Any) -> QuerySet:
        return filter_claims(queryset, ClaimFilters(**{name: value}), self.request.user)

    # The same, typed: drf-spectacular documents a method filter by its `value` hint, and a
    # generated client needs the type (an untyped parameter becomes `Any`).
    def filter_text(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return self.filter_shared(queryset, name, value)

    def filter_flag(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        return self.filter_shared(queryset, name, value)

    def filter_updated_after(self, queryset: QuerySet, name: str, value: dt.datetime) -> QuerySet:
        return selectors.claims_changed_after(queryset, self.request.user, value)


class SpanFilter(filters.FilterSet):
    article = filters.CharFilter(field_name="paragraph__revision__article__slug")
    revision = IdFilter(field_name="paragraph__revision__number")
    paragraph = IdFilter(field_name="paragraph_id")
    created_by = filters.CharFilter(field_name="created_by__username")
    q = filters.CharFilter(field_name="quote", lookup_expr="icontains")

    class Meta:
        model = Span
        fields: list[str] = []


class SourceFilter(filters.FilterSet):
    reliability = filters.ChoiceFilter(choices=Reliability.choices)
    publisher = filters.CharFilter(field_name="publisher", lookup_expr="iexact")
    link = filters.CharFilter(
        method="filter_link", help_text="The source at this web address, once normalised."
    )
    cited_in = filters.CharFilter(
        method="filter_cited_in", help_text="Cited by a claim of this article (its slug)."
    )
    updated_after = ChangedAfterFilter(field_name="updated_at", lookup_expr="gt")
    q = filters.CharFilter(
        method="filter_text", help_text="Text in the web address, title or publisher."
    )

    class Meta:
        model = Source
        fields: list[str] = []

    def filter_text(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(source_text_q(value))

    def filter_link(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        try:
            return queryset.filter(url=normalise_url(value))
        except ValueError:
            return queryset.none()

    def filter_cited_in(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        citing = Citation.objects.filter(
            claim__span__paragraph__revision__article__slug=value
        ).values("source_id")
        return queryset.filter(pk__in=citing)


class CitationFilter(filters.FilterSet):
    article = filters.CharFilter(field_name="claim__span__paragraph__revision__article__slug")
    claim = IdFilter(field_name="claim_id")
    source = IdFilter(field_name="source_id")
    stance = filters.ChoiceFilter(choices=Stance.choices)
    credibility = filters.TypedChoiceFilter(choices=Credibility.choices, coerce=int)
    reliability = filters.ChoiceFilter(
        field_name="source__reliability",
        choices=Reliability.choices,
        help_text="Of a source of this reliability.",
    )
    added_by = filters.CharFilter(field_name="added_by__username")
    updated_after = ChangedAfterFilter(field_name="updated_at", lookup_expr="gt")
    q = filters.CharFilter(
        method="filter_text", help_text="Text in the excerpt or the source's title or publisher."
    )

    class Meta:
        model = Citation
        fields: list[str] = []

    def filter_text(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(
            Q(excerpt__icontains=value)
            | Q(source__title__icontains=value)
            | Q(source__publisher__icontains=value)
        )


class ConfidenceNoteFilter(filters.FilterSet):
    article = filters.CharFilter(field_name="claim__span__paragraph__revision__article__slug")
    claim = IdFilter(field_name="claim_id")
    reviewer = filters.CharFilter(field_name="reviewer__username")
    likelihood = filters.ChoiceFilter(choices=Likelihood.choices)
    analytic_confidence = filters.ChoiceFilter(
        choices=AnalyticConfidence.choices,
        null_label="Not recorded",
        null_value=NOT_RECORDED,  # notes recorded before analytic confidence existed
    )
    updated_after = ChangedAfterFilter(field_name="updated_at", lookup_expr="gt")

    class Meta:
        model = ConfidenceNote
        fields: list[str] = []


class RelationFilter(filters.FilterSet):
    # Both claims of a relation belong to one article (annotate.relations), so its
    # from_claim's article is the relation's.
    article = filters.CharFilter(field_name="from_claim__span__paragraph__revision__article__slug")
    claim = IdFilter(method="filter_claim", help_text="Relations with this claim at either end.")
    type = filters.ChoiceFilter(choices=RelationType.choices)
    created_by = filters.CharFilter(field_name="created_by__username")
    updated_after = ChangedAfterFilter(field_name="updated_at", lookup_expr="gt")

    class Meta:
        model = ClaimRelation
        fields: list[str] = []

    def filter_claim(self, queryset: QuerySet, name: str, value: int) -> QuerySet:
        return queryset.filter(Q(from_claim_id=value) | Q(to_claim_id=value))
