"""Articles and their text in the admin. An article's details are edited here; its text
is not: revisions arrive through an import (articles.services, annotate.reanchoring.reanchor), and
spans, placements and exports point into their paragraphs by offset and checksum, so
revisions and paragraphs are read-only and cannot be deleted here. (Deleting an article
is refused by the database while annotations point into it.) annotate's admin registers
a subclass of ArticleAdmin in its place that saves edits through annotate.services, since
switching independent review changes what reviewers see of the claims."""

from __future__ import annotations

from django.contrib import admin
from django.db import models
from django.db.models import Count, Max, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from articles.models import Article, Paragraph, Revision

# Links without a scheme are taken as https, as Django 6 will do.
HTTPS_URLS = {models.URLField: {"assume_scheme": "https"}}


class RevisionInline(admin.TabularInline):
    model = Revision
    fields = ("number", "imported_at", "note", "checksum")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Article | None = None) -> bool:
        return False  # new text arrives through an import, which numbers and checksums it


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    formfield_overrides = HTTPS_URLS
    list_display = ("title", "slug", "published_on", "publisher", "language", "revision_count")
    list_filter = ("language", "published_on", "publisher")
    search_fields = ("title", "slug", "standfirst", "publisher", "url")
    prepopulated_fields = {"slug": ("title",)}
    readonly_fields = ("standfirst", "new_revision", "created_at", "updated_at")
    date_hierarchy = "published_on"
    inlines = [RevisionInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Article]:
        return super().get_queryset(request).annotate(revision_total=Max("revisions__number"))

    def get_readonly_fields(self, request: HttpRequest, obj: Article | None = None) -> tuple:
        # The slug is in every link, export and API filter that names the article, and in
        # its claims' JSON: changing it would break them without moving their versions.
        return self.readonly_fields + (("slug",) if obj is not None else ())

    def get_prepopulated_fields(self, request: HttpRequest, obj: Article | None = None) -> dict:
        return {} if obj is not None else self.prepopulated_fields

    @admin.display(description="new revision")
    def new_revision(self, obj: Article) -> str:
        # The upload lives with re-anchoring in annotate's admin (articles must not import
        # annotate), so it is linked by URL name only.
        if obj.pk is None:
            return "Import the first text with manage.py import_article."
        url = reverse("admin:annotate_reanchorreport_add")
        return format_html('<a href="{}?article={}">Upload a new revision…</a>', url, obj.pk)

    @admin.display(description="revision", ordering="revision_total")
    def revision_count(self, obj: Article) -> int:
        return obj.revision_total or 0


class ParagraphInline(admin.TabularInline):
    model = Paragraph
    fields = ("position", "text")
    readonly_fields = fields  # a revision's text is fixed once imported: annotations point into it
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Revision | None = None) -> bool:
        return False


@admin.register(Revision)
class RevisionAdmin(admin.ModelAdmin):
    list_display = ("article", "number", "imported_at", "paragraph_count", "note")
    list_filter = ("article",)
    search_fields = ("article__title", "article__slug", "note")
    readonly_fields = ("article", "number", "imported_at", "checksum", "note")
    list_select_related = ("article",)
    inlines = [ParagraphInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Revision]:
        return super().get_queryset(request).annotate(paragraph_total=Count("paragraphs"))

    @admin.display(description="paragraphs", ordering="paragraph_total")
    def paragraph_count(self, obj: Revision) -> int:
        return obj.paragraph_total

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Revision | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Revision | None = None) -> bool:
        return False  # it would take the placements of claims made on earlier text with it


@admin.register(Paragraph)
class ParagraphAdmin(admin.ModelAdmin):
    list_display = ("revision", "position", "excerpt")
    list_filter = ("revision__article",)
    search_fields = ("text",)
    readonly_fields = ("revision", "position", "text")
    list_select_related = ("revision__article",)

    @admin.display(description="text")
    def excerpt(self, obj: Paragraph) -> str:
        return obj.text[:120] + ("…" if len(obj.text) > 120 else "")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Paragraph | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Paragraph | None = None) -> bool:
        return False  # the revision's text (and its checksum) would change under its spans
