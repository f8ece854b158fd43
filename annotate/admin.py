"""The admin follows the same ownership rules as the workspace (annotate.access), and
leaves the quote rule and adjudication to the services: spans are made by selecting text,
verdicts in the workspace or the API, so here those fields are read-only."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db import models
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst

from annotate import access
from annotate.models import Claim, ConfidenceNote, ReanchorReport, Source, Span, SpanAnchor
from annotate.reanchor import revision_import
from articles.models import Article
from articles.report_format import ParsedReport, ReportFormatError, parse_report
from articles.selectors import article_current_revision
from articles.services import text_checksum

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


class RevisionUploadForm(forms.ModelForm):
    """A lead uploads the next revision of an article; the import computes the report."""

    article = forms.ModelChoiceField(queryset=Article.objects.order_by("title"))
    file = forms.FileField(
        help_text="UTF-8 text, paragraphs separated by blank lines, as for import_article."
    )
    note = forms.CharField(
        required=False, max_length=500, help_text="Leave blank to take the file's note."
    )

    class Meta:
        model = ReanchorReport
        fields: tuple[str, ...] = ()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        article, upload = data.get("article"), data.get("file")
        if upload is None:
            return data
        try:
            report = parse_report(upload.read())
        except ReportFormatError as error:
            self.add_error("file", f"{capfirst(str(error))}; nothing was imported.")
            return data
        named = report.meta.get("slug")
        if article is not None and named and named != article.slug:
            self.add_error("file", f"Its front matter names the article {named!r}.")
        elif article is not None:
            current = article_current_revision(article)
            if current and current.checksum == text_checksum(report.paragraphs):
                self.add_error("file", f"The text is the same as revision {current.number}.")
        data["report"] = report
        return data


@admin.register(ReanchorReport)
class ReanchorReportAdmin(admin.ModelAdmin):
    """Revision imports: the list is the history of re-anchoring reports; adding one is the
    upload of a new revision. Permissions are the article app's revision permissions, which
    leads hold: importing text is managing articles."""

    form = RevisionUploadForm
    list_display = ("__str__", "kept", "moved", "fuzzy", "ambiguous", "orphaned",
                    "needs_review", "imported_by", "created_at")  # fmt: skip
    list_select_related = ("revision__article", "imported_by")
    list_filter = ("revision__article",)
    readonly_fields = ("revision", "kept", "moved", "fuzzy", "ambiguous", "orphaned",
                       "needs_review", "imported_by", "created_at", "placements")  # fmt: skip

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ("article", "file", "note") if obj is None else self.readonly_fields

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return () if obj is None else self.readonly_fields

    @admin.display(description="spans")
    def placements(self, obj: ReanchorReport) -> str:
        """Each span's old and new text, those needing review first."""
        anchors = (
            SpanAnchor.objects.filter(revision_id=obj.revision_id)
            .select_related("paragraph")
            .order_by("-needs_review", "status", "span_id")
        )
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    a.span_id,
                    a.get_status_display(),
                    "yes" if a.needs_review else "",
                    f"¶{a.paragraph.position} {a.start}–{a.end}" if a.paragraph else "—",
                    a.previous_quote,
                    a.quote or "—",
                )
                for a in anchors
            ),
        )
        return format_html(
            "<table><tr><th>span</th><th>status</th><th>review</th><th>place</th>"
            "<th>old text</th><th>new text</th></tr>{}</table>",
            rows,
        )

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.has_perm("articles.view_revision")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("articles.add_revision")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a report records what happened

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        parsed: ParsedReport = form.cleaned_data["report"]
        result = revision_import(
            article=form.cleaned_data["article"],
            paragraphs=parsed.paragraphs,
            note=form.cleaned_data["note"] or parsed.meta.get("note", ""),
            user=request.user,
        )
        # The admin goes on with the object it passed in (log entry, redirect): make it
        # the saved report.
        for field in ReanchorReport._meta.concrete_fields:
            setattr(obj, field.attname, getattr(result, field.attname))
        obj._state.adding, obj._state.db = False, result._state.db
        obj.summary_text = result.summary()

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        pass  # nothing is edited alongside an import

    def response_add(self, request: HttpRequest, obj: Any, post_url_continue: Any = None):
        self.message_user(request, obj.summary_text, messages.SUCCESS)
        url = reverse("admin:annotate_reanchorreport_change", args=[obj.pk])
        return HttpResponseRedirect(url)
