"""Query filters for the lists. Relations are filtered with EXISTS subqueries rather than
joins, so a claim with two refuting sources still appears once."""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters as filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet
from django_filters.fields import IsoDateTimeField

from annotate import access, selectors
from annotate.disagreement import disputed_q, with_note_range
from annotate.models import (
    Claim,
    ClaimKind,
    ConfidenceNote,
    Likelihood,
    Reliability,
    Source,
    Span,
    Stance,
    Verdict,
)

NO_VERDICT = "none"


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


class IdFilter(filters.NumberFilter):
    """Whole numbers in the databases' range only: django-filter's NumberFilter would
    truncate 1.5, and a number past 64 bits would reach the database driver and fail there."""

    field_class = forms.IntegerField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class ClaimFilter(filters.FilterSet):
    article = filters.CharFilter(
        field_name="span__paragraph__revision__article__slug", help_text="Article slug."
    )
    revision = IdFilter(
        field_name="span__paragraph__revision__number", help_text="Revision number."
    )
    paragraph = IdFilter(field_name="span__paragraph_id", help_text="Paragraph id.")
    span = IdFilter(field_name="span_id")
    kind = filters.ChoiceFilter(choices=ClaimKind.choices)
    verdict = filters.ChoiceFilter(
        choices=[*Verdict.choices, (NO_VERDICT, "Not adjudicated")],
        method="filter_verdict",
        help_text=f"A verdict, or `{NO_VERDICT}` for claims not adjudicated yet.",
    )
    stance = filters.ChoiceFilter(
        choices=Stance.choices, method="filter_stance", help_text="Has a source of this stance."
    )
    reliability = filters.ChoiceFilter(
        choices=Reliability.choices,
        method="filter_reliability",
        help_text="Has a source of this reliability.",
    )
    reviewer = filters.CharFilter(
        method="filter_reviewer", help_text="Username with a confidence note on the claim."
    )
    created_by = filters.CharFilter(field_name="created_by__username")
    has_sources = filters.BooleanFilter(method="filter_has_sources")
    disputed = filters.BooleanFilter(
        method="filter_disputed", help_text="Reviewers' likelihoods are far apart."
    )
    updated_after = ChangedAfterFilter(
        method="filter_updated_after",
        help_text="Changed after this ISO 8601 time (a claim changes with its sources and "
        "the notes you may see): for incremental sync.",
    )
    q = filters.CharFilter(method="filter_text", help_text="Text in the statement or the quote.")

    class Meta:
        model = Claim
        fields: list[str] = []

    def filter_verdict(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(verdict="" if value == NO_VERDICT else value)

    def filter_stance(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(Exists(Source.objects.filter(claim=OuterRef("pk"), stance=value)))

    def filter_reliability(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(
            Exists(Source.objects.filter(claim=OuterRef("pk"), reliability=value))
        )

    def filter_reviewer(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        notes = ConfidenceNote.objects.filter(
            access.visible_notes_q(self.request.user),
            claim=OuterRef("pk"),
            reviewer__username=value,
        )
        return queryset.filter(Exists(notes))

    def filter_updated_after(self, queryset: QuerySet, name: str, value: dt.datetime) -> QuerySet:
        return selectors.claims_changed_after(queryset, self.request.user, value)

    def filter_has_sources(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        has = Exists(Source.objects.filter(claim=OuterRef("pk")))
        return queryset.filter(has if value else ~has)

    def filter_disputed(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        # Only what the user may know is disputed: a claim whose summary independent
        # review hides counts as not disputed, either way.
        visible = Claim.objects.filter(access.claims_with_visible_notes_q(self.request.user))
        disputed = with_note_range(visible).filter(disputed_q()).values("pk")
        return queryset.filter(pk__in=disputed) if value else queryset.exclude(pk__in=disputed)

    def filter_text(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(Q(statement__icontains=value) | Q(span__quote__icontains=value))


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
    article = filters.CharFilter(field_name="claim__span__paragraph__revision__article__slug")
    claim = IdFilter(field_name="claim_id")
    stance = filters.ChoiceFilter(choices=Stance.choices)
    reliability = filters.ChoiceFilter(choices=Reliability.choices)
    added_by = filters.CharFilter(field_name="added_by__username")
    updated_after = ChangedAfterFilter(field_name="updated_at", lookup_expr="gt")
    q = filters.CharFilter(method="filter_text", help_text="Text in the title or publisher.")

    class Meta:
        model = Source
        fields: list[str] = []

    def filter_text(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(Q(title__icontains=value) | Q(publisher__icontains=value))


class ConfidenceNoteFilter(filters.FilterSet):
    article = filters.CharFilter(field_name="claim__span__paragraph__revision__article__slug")
    claim = IdFilter(field_name="claim_id")
    reviewer = filters.CharFilter(field_name="reviewer__username")
    likelihood = filters.ChoiceFilter(choices=Likelihood.choices)
    updated_after = ChangedAfterFilter(field_name="updated_at", lookup_expr="gt")

    class Meta:
        model = ConfidenceNote
        fields: list[str] = []
