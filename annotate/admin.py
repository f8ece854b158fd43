"""The admin follows the same ownership rules as the workspace (annotate.access), and
leaves the quote rule and adjudication to the services: spans are made by selecting text,
verdicts in the workspace or the API, so here those fields are read-only.

Every save and delete here, single or in bulk (the "delete selected" action) and in the
claim's citation inline, goes through annotate.services like the workspace's and the
API's: they lock, record who acted, and move the claim's version (its ETag,
`updated_after`, the live stamp) when a citation, a cited source or a note changes. A
direct `obj.save()` would skip all of that.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models, transaction
from django.db.models import Count, QuerySet
from django.http import HttpRequest

from annotate import (
    access,
    selectors,
    services,
)
from annotate.models import Citation, Claim, ConfidenceNote, Source, Span
from annotate.reanchoring import revision_admin  # noqa: F401  registers the revision upload
from articles.admin import ArticleAdmin as ArticleDetailsAdmin
from articles.models import Article

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


class ServiceDeletes:
    """Deletes, one or selected in bulk, through the model's delete service (each admin's
    `service_delete`): a bulk delete is all or nothing."""

    def service_delete(self, obj: Any, user: Any) -> None:
        raise NotImplementedError

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        self.service_delete(obj, request.user)

    @transaction.atomic
    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        for obj in list(queryset):
            self.service_delete(obj, request.user)


def changed_values(form: Any, names: set[str]) -> dict[str, Any]:
    """The admin form's changed values among the fields a service may change."""
    return {name: form.cleaned_data[name] for name in form.changed_data if name in names}


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
class SpanAdmin(ServiceDeletes, admin.ModelAdmin):
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

    def service_delete(self, obj: Span, user: Any) -> None:
        services.span_delete(span=obj, user=user)


class CitationInline(OwnershipMixin, admin.StackedInline):
    model = Citation
    fields = ("source", "excerpt", "stance", "credibility", "added_by")
    readonly_fields = ("added_by",)
    autocomplete_fields = ("source",)
    extra = 0


class ConfidenceNoteInline(admin.TabularInline):
    model = ConfidenceNote
    fields = (
        "reviewer", "likelihood", "analytic_confidence", "rationale", "created_at", "updated_at",
    )  # fmt: skip
    readonly_fields = fields  # a note is its reviewer's own judgement
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Claim | None = None) -> bool:
        return False


@admin.register(Claim)
class ClaimAdmin(OwnershipMixin, ServiceDeletes, admin.ModelAdmin):
    list_display = (
        "statement_excerpt", "kind", "verdict", "attributed_to", "created_by",
        "citation_count", "note_count", "updated_at",
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
    inlines = [CitationInline, ConfidenceNoteInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Claim]:
        return (
            super()
            .get_queryset(request)
            .annotate(
                citation_total=Count("citations", distinct=True),
                note_total=Count("notes", distinct=True),
            )
        )

    @admin.display(description="statement")
    def statement_excerpt(self, obj: Claim) -> str:
        return obj.statement[:80]

    @admin.display(description="citations", ordering="citation_total")
    def citation_count(self, obj: Claim) -> int:
        return obj.citation_total

    @admin.display(description="notes", ordering="note_total")
    def note_count(self, obj: Claim) -> int:
        return obj.note_total

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # a claim needs a span, which is made by selecting text

    def save_model(self, request: HttpRequest, obj: Claim, form: Any, change: bool) -> None:
        fields = changed_values(form, services.CLAIM_FIELDS)
        if fields:  # saving the claim page for its citations alone leaves the claim as it is
            services.claim_update(claim=obj, user=request.user, **fields)

    # Through the service, a claim deleted here is grouped in history with its sources,
    # notes and span, and a lead can restore it.
    def service_delete(self, obj: Claim, user: Any) -> None:
        services.claim_delete(claim=obj, user=user)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        formset.save(commit=False)  # sorts the forms into new, changed and deleted objects
        if formset.model is not Citation:
            return  # the notes inline is read-only: a note is its reviewer's own
        user = request.user
        for citation in formset.deleted_objects:
            services.citation_delete(citation=citation, user=user)
        for citation, names in formset.changed_objects:
            fields = {name: getattr(citation, name) for name in names if name in CITATION_EDITS}
            services.citation_update(citation=citation, user=user, **fields)
        for citation in formset.new_objects:
            fields = {name: getattr(citation, name) for name in services.CITATION_FIELDS}
            services.citation_create(
                claim=form.instance, source=citation.source, user=user, **fields
            )


CITATION_EDITS = services.CITATION_FIELDS | {"source"}


@admin.register(Source)
class SourceAdmin(OwnershipMixin, ServiceDeletes, admin.ModelAdmin):
    """Shared sources: a new one through source_create (a URL already recorded, once
    normalised, finds that source instead), edits through source_update (which records
    who set the reliability), deletes only while nothing cites it (source_delete)."""

    formfield_overrides = HTTPS_URLS
    list_display = ("title", "publisher", "url", "reliability", "reliability_set_by")
    list_filter = ("reliability",)
    search_fields = ("title", "publisher", "url")
    readonly_fields = (
        "reliability_set_by", "reliability_set_at", "created_by", "created_at", "updated_at",
    )  # fmt: skip
    list_select_related = ("reliability_set_by",)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # A source ever cited stays (services.source_delete): no delete button, no delete.
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or not selectors.source_ever_cited(obj))

    def save_model(self, request: HttpRequest, obj: Source, form: Any, change: bool) -> None:
        fields = changed_values(form, services.SOURCE_FIELDS)
        if not change:
            saved = services.source_create(user=request.user, **form.cleaned_data)
            obj.pk = saved.pk
        elif fields:
            services.source_update(source=obj, user=request.user, **fields)

    def service_delete(self, obj: Source, user: Any) -> None:
        services.source_delete(source=obj, user=user)


@admin.register(Citation)
class CitationAdmin(OwnershipMixin, ServiceDeletes, admin.ModelAdmin):
    list_display = ("source", "stance", "credibility", "claim", "added_by")
    list_filter = ("stance", "credibility", "added_by")
    search_fields = ("source__title", "source__publisher", "source__url", "excerpt")
    readonly_fields = ("claim", "added_by", "created_at", "updated_at")
    autocomplete_fields = ("source",)
    list_select_related = ("claim", "source", "added_by")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # add citations on their claim

    def save_model(self, request: HttpRequest, obj: Citation, form: Any, change: bool) -> None:
        fields = changed_values(form, CITATION_EDITS)
        if fields:
            services.citation_update(citation=obj, user=request.user, **fields)

    def service_delete(self, obj: Citation, user: Any) -> None:
        services.citation_delete(citation=obj, user=user)


@admin.register(ConfidenceNote)
class ConfidenceNoteAdmin(OwnershipMixin, ServiceDeletes, admin.ModelAdmin):
    list_display = ("claim", "reviewer", "likelihood", "analytic_confidence", "updated_at")
    list_filter = ("likelihood", "analytic_confidence", "reviewer")
    search_fields = ("rationale", "claim__statement")
    readonly_fields = ("claim", "reviewer", "created_at", "updated_at")
    list_select_related = ("claim", "reviewer")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def save_model(
        self, request: HttpRequest, obj: ConfidenceNote, form: Any, change: bool
    ) -> None:
        # Only its reviewer may change a note (OwnershipMixin), so this is their own note.
        if form.changed_data:
            services.confidence_note_save(
                claim=obj.claim,
                likelihood=obj.likelihood,
                analytic_confidence=obj.analytic_confidence,
                rationale=obj.rationale,
                user=request.user,
            )

    def service_delete(self, obj: ConfidenceNote, user: Any) -> None:
        services.confidence_note_delete(note=obj, user=user)


class ArticleAdmin(ArticleDetailsAdmin):
    """articles' own admin, with edits through annotate.services.article_update: switching
    independent review changes what reviewers see of the article's claims (articles does
    not know of claims, so annotate registers this in its place)."""

    def save_model(self, request: HttpRequest, obj: Article, form: Any, change: bool) -> None:
        if not change:
            super().save_model(request, obj, form, change)  # a new article has no claims yet
            return
        fields = changed_values(form, services.ARTICLE_FIELDS)
        if fields:
            services.article_update(article=obj, user=request.user, **fields)


admin.site.unregister(Article)
admin.site.register(Article, ArticleAdmin)
