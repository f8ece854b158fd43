"""Writing a claim's evidence: its citations of sources and the user's own confidence note."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from annotate import selectors, services
from annotate.forms import CitationEditForm, CitationForm, NoteForm, add_service_errors
from annotate.models import Citation, Claim, ConfidenceNote, Reliability, Source
from annotate.reanchoring.placements import claims_in_revision
from annotate.versioning import StaleEdit, version_of
from annotate.views.filters import rejects_bad_filters
from annotate.views.workspace import (
    article_and_revision,
    claim_of,
    claim_url,
    render_claim,
)

STALE_CITATION = (
    "Someone changed this citation meanwhile. "
    "This is the current version; your change was not saved."
)
STALE_NOTE = (
    "Your note was changed in another window. "
    "This is the current version; your change was not saved."
)


def _saved(request, article, revision, claim: Claim) -> HttpResponse:
    if not request.htmx:
        return redirect(claim_url(article, claim, request.GET.urlencode()))
    return render_claim(request, article, revision, claim.pk, changed=claim.placed_paragraph_id)


def _citation_of(revision, pk: int) -> Citation:
    """A citation on a claim placed in the revision, its claim annotated with the placement."""
    citation = get_object_or_404(
        Citation.objects.select_related("claim", "source"),
        pk=pk,
        claim__in=claims_in_revision(revision).values("pk"),
    )
    citation.claim = claim_of(revision, citation.claim_id)
    return citation


@require_GET
@login_required
def source_search(request: HttpRequest, slug: str) -> HttpResponse:
    """The citation form's autocomplete: sources already recorded whose URL, title or
    publisher holds what was typed, each with its reliability, to cite in a keystroke."""
    article, _revision = article_and_revision(slug)
    query = request.GET.get("source_query", "")[:200]
    context = {"article": article, "matches": selectors.source_matches(query), "query": query}
    return render(request, "annotate/_source_matches.html", context)


@require_POST
@login_required
@rejects_bad_filters
@vary_on_headers("HX-Request")
def citation_new(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    article, revision = article_and_revision(slug)
    claim = claim_of(revision, pk)
    form = CitationForm(request.POST, auto_id="citation_%s")
    if form.is_valid():
        picked = form.cleaned_data["source"]
        source = Source.objects.filter(pk=picked).first() if picked else None
        try:
            if picked and source is None:
                raise ValidationError({"source": "No such source: pick one from the list."})
            services.citation_create(
                claim=claim,
                user=request.user,
                source=source,
                new_source=None if source else form.new_source(),
                **form.values(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _saved(request, article, revision, claim)
    forms = {"citation_form": form, "citation_form_open": True}
    return render_claim(request, article, revision, pk, forms=forms, status=422)


@require_http_methods(["GET", "POST"])
@login_required
@rejects_bad_filters
@vary_on_headers("HX-Request")
def citation_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    article, revision = article_and_revision(slug)
    citation = _citation_of(revision, pk)
    claim_pk = citation.claim_id
    auto_id = f"citation{citation.pk}_%s"
    if request.method == "GET":
        initial = {name: getattr(citation, name) for name in CitationEditForm.FIELDS}
        form = CitationEditForm(
            initial={**initial, "version": version_of(citation)}, auto_id=auto_id
        )
        forms = {"editing_citation": citation.pk, "citation_edit_form": form}
        return render_claim(request, article, revision, claim_pk, forms=forms)
    form = CitationEditForm(request.POST, auto_id=auto_id)
    if form.is_valid():
        try:
            services.citation_update(
                citation=citation,
                user=request.user,
                expected_version=form.expected_version(),
                **form.values(),
            )
        except StaleEdit:
            return render_claim(
                request, article, revision, claim_pk, notice=STALE_CITATION, status=409
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _saved(request, article, revision, citation.claim)
    forms = {"editing_citation": citation.pk, "citation_edit_form": form}
    return render_claim(request, article, revision, claim_pk, forms=forms, status=422)


STALE_SOURCE = (
    "Someone changed this source meanwhile. This is the current version; your change was not saved."
)


@require_POST
@login_required
@rejects_bad_filters
@vary_on_headers("HX-Request")
def source_reliability(request: HttpRequest, slug: str, pk: int, source_pk: int) -> HttpResponse:
    """Rate a shared source (Admiralty A–F) from a claim citing it: every claim citing it
    shows the new letter, and the source's history keeps who set each one."""
    article, revision = article_and_revision(slug)
    claim = claim_of(revision, pk)
    source = get_object_or_404(Source, pk=source_pk, citations__claim=claim)
    letter = request.POST.get("reliability", "")
    if letter not in Reliability.values:
        notice = f"Reliability: choose one of {', '.join(Reliability.values)}."
        return render_claim(request, article, revision, pk, notice=notice, status=422)
    try:
        services.source_update(
            source=source,
            user=request.user,
            expected_version=request.POST.get("version") or None,
            reliability=letter,
        )
    except StaleEdit:
        return render_claim(request, article, revision, pk, notice=STALE_SOURCE, status=409)
    return _saved(request, article, revision, claim)


@require_POST
@login_required
@rejects_bad_filters
def citation_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    article, revision = article_and_revision(slug)
    citation = _citation_of(revision, pk)
    try:
        services.citation_delete(
            citation=citation,
            user=request.user,
            expected_version=request.POST.get("version") or None,
        )
    except StaleEdit:
        return render_claim(
            request, article, revision, citation.claim_id, notice=STALE_CITATION, status=409
        )
    return _saved(request, article, revision, citation.claim)


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
