"""The admin follows the same ownership rules as the workspace (annotate.access), and
leaves the quote rule and adjudication to the services: spans are made by selecting text,
verdicts in the workspace or the API, so here those fields are read-only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.db.models import Count, QuerySet
from django.http import HttpRequest

from annotate import (
    access,
    services,
)
from annotate.models import Claim, ConfidenceNote, Source, Span
from annotate.reanchoring import revision_admin  # noqa: F401  registers the revision upload

# Links without a scheme are taken as https, as Django 6 will do.
HTTPS_URLS = {models.URLField: {"assume_scheme": "https"}}


class OwnershipMixin:
    """Model permissions say what a role may do; ownership narrows it to own objects."""

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        allowed = super().has_change_permission(request, obj)  # type: ignore[misc]
        return allowed and (obj is None or access.can_change(request.user, obj))

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        allowed = super().has_delete_permission(request, obj)  # type: ignore[misc]
        return allowed and (obj is None or access.can_delete(request.user, obj))


class ClaimInline(admin.TabularInline):
    model = Claim
    fields = ("statement", "kind", "attributed_to", "verdict", "created_by")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Span | None = None) -> bool:
        return False


@admin.register(Span)
class SpanAdmin(admin.ModelAdmin):
    list_display = ("quote_excerpt", "paragraph", "start", "end", "created_by", "created_at")
    list_filter = ("paragraph__revision__article", "created_by")
    search_fields = ("quote",)
    readonly_fields = (
        "paragraph", "start", "end", "quote", "prefix", "suffix", "created_by", "created_at",
    )  # fmt: skip
    list_select_related = ("paragraph__revision__article", "created_by")
    inlines = [ClaimInline]

    @admin.display(description="quote")
    def quote_excerpt(self, obj: Span) -> str:
        return obj.quote[:80]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # offsets and quote are fixed; delete and select again to move a span


class SourceInline(OwnershipMixin, admin.StackedInline):
    model = Source
    formfield_overrides = HTTPS_URLS
    fields = ("url", "title", "publisher", "excerpt", "stance", "reliability", "added_by")
    readonly_fields = ("added_by",)
    extra = 0


class ConfidenceNoteInline(admin.TabularInline):
    model = ConfidenceNote
    fields = ("reviewer", "likelihood", "rationale", "created_at", "updated_at")
    readonly_fields = fields  # a note is its reviewer's own judgement
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Claim | None = None) -> bool:
        return False


@admin.register(Claim)
class ClaimAdmin(OwnershipMixin, admin.ModelAdmin):
    list_display = (
        "statement_excerpt", "kind", "verdict", "attributed_to", "created_by",
        "source_count", "note_count", "updated_at",
    )  # fmt: skip
    list_filter = ("kind", "verdict", "span__paragraph__revision__article", "created_by")
    search_fields = ("statement", "attributed_to", "span__quote")
    fields = (
        "span", "statement", "kind", "attributed_to",
        "verdict", "verdict_rationale", "verdict_by", "verdict_at",
        "created_by", "created_at", "updated_at",
    )  # fmt: skip
    readonly_fields = (
        "span", "verdict", "verdict_rationale", "verdict_by", "verdict_at",
        "created_by", "created_at", "updated_at",
    )  # fmt: skip
    list_select_related = ("created_by",)
    inlines = [SourceInline, ConfidenceNoteInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Claim]:
        return (
            super()
            .get_queryset(request)
            .annotate(
                source_total=Count("sources", distinct=True),
                note_total=Count("notes", distinct=True),
            )
        )

    @admin.display(description="statement")
    def statement_excerpt(self, obj: Claim) -> str:
        return obj.statement[:80]

    @admin.display(description="sources", ordering="source_total")
    def source_count(self, obj: Claim) -> int:
        return obj.source_total

    @admin.display(description="notes", ordering="note_total")
    def note_count(self, obj: Claim) -> int:
        return obj.note_total

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # a claim needs a span, which is made by selecting text

    # Deletes go through the service, so that a claim deleted here is grouped in history
    # with its sources, notes and span, and a lead can restore it.
    def delete_model(self, request: HttpRequest, obj: Claim) -> None:
        services.claim_delete(claim=obj, user=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Claim]) -> None:
        for claim in queryset:
            services.claim_delete(claim=claim, user=request.user)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        for obj in formset.save(commit=False):
            if isinstance(obj, Source) and obj.added_by_id is None:
                obj.added_by = request.user
            obj.save()
        for obj in formset.deleted_objects:
            obj.delete()
        formset.save_m2m()


@admin.register(Source)
class SourceAdmin(OwnershipMixin, admin.ModelAdmin):
    formfield_overrides = HTTPS_URLS
    list_display = ("title", "publisher", "stance", "reliability", "claim", "added_by")
    list_filter = ("stance", "reliability", "added_by")
    search_fields = ("title", "publisher", "url", "excerpt")
    readonly_fields = ("claim", "added_by", "created_at", "updated_at")
    list_select_related = ("claim", "added_by")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # add sources on their claim


@admin.register(ConfidenceNote)
class ConfidenceNoteAdmin(OwnershipMixin, admin.ModelAdmin):
    list_display = ("claim", "reviewer", "likelihood", "updated_at")
    list_filter = ("likelihood", "reviewer")
    search_fields = ("rationale", "claim__statement")
    readonly_fields = ("claim", "reviewer", "created_at", "updated_at")
    list_select_related = ("claim", "reviewer")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
