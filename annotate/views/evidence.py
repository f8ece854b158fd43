"""Writing a claim's evidence: its sources and the user's own confidence note."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from annotate import services
from annotate.forms import NoteForm, SourceForm, add_service_errors
from annotate.models import Claim, ConfidenceNote, Source
from annotate.reanchoring.placements import claims_in_revision
from annotate.versioning import StaleEdit, version_of
from annotate.views.filters import rejects_bad_filters
from annotate.views.workspace import (
    article_and_revision,
    claim_of,
    claim_url,
    render_claim,
)

STALE_SOURCE = (
    "Someone changed this source meanwhile. This is the current version; your change was not saved."
)
STALE_NOTE = (
    "Your note was changed in another window. "
    "This is the current version; your change was not saved."
)


def _saved(request, article, revision, claim: Claim) -> HttpResponse:
    if not request.htmx:
        return redirect(claim_url(article, claim, request.GET.urlencode()))
    return render_claim(request, article, revision, claim.pk, changed=claim.placed_paragraph_id)


def _source_of(revision, pk: int) -> Source:
    """A source of a claim placed in the revision, its claim annotated with the placement."""
    source = get_object_or_404(
        Source.objects.select_related("claim"),
        pk=pk,
        claim__in=claims_in_revision(revision).values("pk"),
    )
    source.claim = claim_of(revision, source.claim_id)
    return source


@require_POST
@login_required
@rejects_bad_filters
@vary_on_headers("HX-Request")
def source_new(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    article, revision = article_and_revision(slug)
    claim = claim_of(revision, pk)
    form = SourceForm(request.POST, auto_id="source_%s")
    if form.is_valid():
        try:
            services.source_create(claim=claim, user=request.user, **form.values())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _saved(request, article, revision, claim)
    forms = {"source_form": form, "source_form_open": True}
    return render_claim(request, article, revision, pk, forms=forms, status=422)


@require_http_methods(["GET", "POST"])
@login_required
@rejects_bad_filters
@vary_on_headers("HX-Request")
def source_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    article, revision = article_and_revision(slug)
    source = _source_of(revision, pk)
    claim_pk = source.claim_id
    auto_id = f"source{source.pk}_%s"
    if request.method == "GET":
        initial = {name: getattr(source, name) for name in SourceForm.FIELDS}
        form = SourceForm(initial={**initial, "version": version_of(source)}, auto_id=auto_id)
        forms = {"editing_source": source.pk, "source_edit_form": form}
        return render_claim(request, article, revision, claim_pk, forms=forms)
    form = SourceForm(request.POST, auto_id=auto_id)
    if form.is_valid():
        try:
            services.source_update(
                source=source,
                user=request.user,
                expected_version=form.expected_version(),
                **form.values(),
            )
        except StaleEdit:
            return render_claim(
                request, article, revision, claim_pk, notice=STALE_SOURCE, status=409
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _saved(request, article, revision, source.claim)
    forms = {"editing_source": source.pk, "source_edit_form": form}
    return render_claim(request, article, revision, claim_pk, forms=forms, status=422)


@require_POST
@login_required
@rejects_bad_filters
def source_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    article, revision = article_and_revision(slug)
    source = _source_of(revision, pk)
    try:
        services.source_delete(
            source=source, user=request.user, expected_version=request.POST.get("version") or None
        )
    except StaleEdit:
        return render_claim(
            request, article, revision, source.claim_id, notice=STALE_SOURCE, status=409
        )
    return _saved(request, article, revision, source.claim)


@require_POST
@login_required
@rejects_bad_filters
@vary_on_headers("HX-Request")
def note_save(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Record or revise the user's own confidence note on the claim."""
    article, revision = article_and_revision(slug)
    claim = claim_of(revision, pk)
    form = NoteForm(request.POST, auto_id="note_%s")
    if form.is_valid():
        try:
            services.confidence_note_save(
                claim=claim,
                likelihood=form.cleaned_data["likelihood"],
                analytic_confidence=form.cleaned_data["analytic_confidence"],
                rationale=form.cleaned_data["rationale"],
                user=request.user,
                expected_version=form.expected_version(),
            )
        except StaleEdit:
            return render_claim(request, article, revision, pk, notice=STALE_NOTE, status=409)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _saved(request, article, revision, claim)
    return render_claim(request, article, revision, pk, forms={"note_form": form}, status=422)


@require_POST
@login_required
@rejects_bad_filters
def note_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    article, revision = article_and_revision(slug)
    claim = claim_of(revision, pk)
    note = get_object_or_404(ConfidenceNote, claim=claim, reviewer=request.user)
    try:
        services.confidence_note_delete(
            note=note, user=request.user, expected_version=request.POST.get("version") or None
        )
    except StaleEdit:
        return render_claim(request, article, revision, pk, notice=STALE_NOTE, status=409)
    return _saved(request, article, revision, claim)
