"""The revision upload in the admin: leads add the next revision of an article from a
file, and every span is re-anchored into it (annotate.reanchoring.reanchor).

Shown as "Revision imports": the list is the history of re-anchoring reports, adding
one is the upload. Permissions are the article app's revision permissions, which leads
hold: importing text is managing articles.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst

from annotate.models import ReanchorReport, SpanAnchor
from annotate.reanchoring.reanchor import revision_import
from articles.models import Article
from articles.report_format import ParsedReport, ReportFormatError, parse_report
from articles.selectors import article_current_revision
from articles.services import text_checksum


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
