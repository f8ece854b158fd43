"""Writing claims: from a selection, editing, deleting, and a lead's verdict."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import push_url, reswap, retarget

from annotate import access, history, restore, services
from annotate.forms import (
    ClaimCreateForm,
    ClaimEditForm,
    SelectionForm,
    VerdictForm,
    add_service_errors,
)
from annotate.models import Claim, Span, SpanAnchor
from annotate.reanchoring import reanchor
from annotate.versioning import StaleEdit, version_of
from annotate.views.filters import read_filters, rejects_bad_filters
from annotate.views.workspace import (
    TEMPLATE,
    article_and_revision,
    claim_of,
    claim_url,
    deleted_out_of_band,
    page_context,
    reading_context,
    render_claim,
    workspace_url,
)
from articles.models import Paragraph

STALE = (
    "Someone changed this claim while you were editing it. "
    "This is the current version; your change was not saved."
)


@require_http_methods(["GET", "POST"])
@login_required
@rejects_bad_filters
@vary_on_headers("HX-Request")
def claim_new(request: HttpRequest, slug: str) -> HttpResponse:
    """GET: the form for a selection (paragraph, start, end, quote). POST: save it."""
    article, revision = article_and_revision(slug)
    if request.method == "GET":
        form = ClaimCreateForm(initial=_initial_from_selection(request), auto_id="new_%s")
        return _render_new(request, article, revision, form)
    form = ClaimCreateForm(request.POST, auto_id="new_%s")
    if form.is_valid():
        data = form.cleaned_data
        paragraph = (
            Paragraph.objects.filter(pk=data["paragraph"], revision__article=article)
            .select_related("revision")
            .first()
        )
        if paragraph is None:
            form.add_error(None, "The selection is not in a paragraph of this report.")
        else:
            try:
                claim = services.claim_create_with_span(
                    paragraph=paragraph,
                    start=data["start"],
                    end=data["end"],
                    quote=data["quote"],
                    statement=data["statement"],
                    kind=data["kind"],
                    attributed_to=data["attributed_to"],
                    user=request.user,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return _saved(request, article, revision, claim, paragraph.pk)
    return _render_new(request, article, revision, form, status=422)


def _initial_from_selection(request: HttpRequest) -> dict:
    quote = request.GET.get("quote", "")
    initial = {name: request.GET.get(name, "") for name in ("paragraph", "start", "end")}
    return {**initial, "quote": quote, "statement": quote}


def _render_new(request, article, revision, form, status=200) -> HttpResponse:
    filters = read_filters(request)
    context = {
        "article": article,
        "new_form": form,
        "quote": form["quote"].value() or "",
        "panel": "new",
        "filter_query": filters.query,
    }
    if request.htmx:
        return render(request, f"{TEMPLATE}#new-claim", context, status=status)
    return render(
        request, TEMPLATE, {**page_context(request, article, revision), **context}, status=status
    )


def _saved(request, article, revision, claim: Claim, paragraph_id: int) -> HttpResponse:
    if not request.htmx:
        return redirect(claim_url(article, claim, request.GET.urlencode()))
    return render_claim(request, article, revision, claim.pk, changed=paragraph_id)


@require_http_methods(["GET", "POST"])
@login_required
@rejects_bad_filters
@vary_on_headers("HX-Request")
def claim_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    article, revision = article_and_revision(slug)
    claim = claim_of(revision, pk)
    if request.method == "GET":
        form = ClaimEditForm(
            initial={
                "statement": claim.statement,
                "kind": claim.kind,
                "attributed_to": claim.attributed_to,
                "version": version_of(claim),
            },
            auto_id="claim_%s",
        )
        return render_claim(request, article, revision, pk, forms={"claim_form": form})
    form = ClaimEditForm(request.POST, auto_id="claim_%s")
    if form.is_valid():
        values = {k: form.cleaned_data[k] for k in ("statement", "kind", "attributed_to")}
        try:
            services.claim_update(
                claim=claim,
                user=request.user,
                expected_version=form.expected_version(),
                **values,
            )
        except StaleEdit:
            return render_claim(request, article, revision, pk, notice=STALE, status=409)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _saved(request, article, revision, claim, claim.placed_paragraph_id)
    forms = {"claim_form": form}
    return render_claim(request, article, revision, pk, forms=forms, status=422)


@require_POST
@login_required
@rejects_bad_filters
def claim_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    article, revision = article_and_revision(slug)
    claim = claim_of(revision, pk)
    try:
        services.claim_delete(
            claim=claim, user=request.user, expected_version=request.POST.get("version") or None
        )
    except StaleEdit:
        return render_claim(request, article, revision, pk, notice=STALE, status=409)
    filters = read_filters(request)
    url = workspace_url(article, filters.query)
    if not request.htmx:
        return redirect(url)
    context = {**reading_context(revision, filters, request.user), "article": article}
    response = render(request, f"{TEMPLATE}#reading", context)
    response.content += deleted_out_of_band(request, article).encode()
    return push_url(reswap(retarget(response, "#reading"), "outerHTML"), url)


@require_POST
@login_required
def claim_restore(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """A lead brings back a deleted claim of this report; the page then shows it open."""
    article, _ = article_and_revision(slug)
    if not access.can_restore(request.user):
        raise PermissionDenied("Only leads restore deleted claims.")
    if not history.is_deleted_claim_of(article, pk):
        raise Http404("This report has no deleted claim with that id.")
    restore.claim_restore(claim_id=pk, user=request.user)
    return redirect(claim_url(article, pk))


@require_POST
@login_required
@rejects_bad_filters
@vary_on_headers("HX-Request")
def claim_verdict(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    article, revision = article_and_revision(slug)
    claim = claim_of(revision, pk)
    form = VerdictForm(request.POST, auto_id="verdict_%s")
    if form.is_valid():
        try:
            services.claim_set_verdict(
                claim=claim,
                verdict=form.cleaned_data["verdict"],
                rationale=form.cleaned_data["rationale"],
                user=request.user,
                expected_version=form.expected_version(),
            )
        except StaleEdit:
            return render_claim(request, article, revision, pk, notice=STALE, status=409)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _saved(request, article, revision, claim, claim.placed_paragraph_id)
    return render_claim(request, article, revision, pk, forms={"verdict_form": form}, status=422)


@require_POST
@login_required
@rejects_bad_filters
@vary_on_headers("HX-Request")
def placement_confirm(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """A lead accepts the re-anchored placement of the claim's span as it stands."""
    article, revision = article_and_revision(slug)
    claim = claim_of(revision, pk)
    if claim.anchor_id is None:
        return render_claim(
            request, article, revision, pk, notice="This claim was made on this text.", status=422
        )
    try:
        reanchor.span_anchor_confirm(anchor=SpanAnchor(pk=claim.anchor_id), user=request.user)
    except ValidationError as error:
        notice = " ".join(error.messages)
        return render_claim(request, article, revision, pk, notice=notice, status=422)
    return _saved(request, article, revision, claim, claim.placed_paragraph_id)


@require_POST
@login_required
def orphan_reattach(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """A lead places an orphaned span on text selected in the current revision; its first
    claim opens there."""
    article, revision = article_and_revision(slug)
    span = get_object_or_404(
        Span.objects.select_related("paragraph__revision"),
        pk=pk,
        paragraph__revision__article=article,
    )
    form = SelectionForm(request.POST)
    if not form.is_valid():
        field, errors = next(iter(form.errors.items()))
        return _reattach_failed(request, article, revision, f"{field.capitalize()}: {errors[0]}")
    data = form.cleaned_data
    paragraph = Paragraph.objects.filter(pk=data["paragraph"], revision__article=article).first()
    if paragraph is None:
        return _reattach_failed(
            request, article, revision, "Paragraph: The selection is not in this report."
        )
    try:
        reanchor.span_reattach(
            span=span,
            paragraph=paragraph,
            start=data["start"],
            end=data["end"],
            quote=data["quote"],
            user=request.user,
        )
    except ValidationError as error:
        errors = error.message_dict if hasattr(error, "error_dict") else {"text": error.messages}
        message = " ".join(
            f"{field.capitalize()}: {' '.join(messages)}" for field, messages in errors.items()
        )
        return _reattach_failed(request, article, revision, message)
    first = span.claims.order_by("id").first()
    return redirect(claim_url(article, first) if first else workspace_url(article))


def _reattach_failed(request, article, revision, message: str) -> HttpResponse:
    context = {**page_context(request, article, revision), "reattach_error": message}
    return render(request, TEMPLATE, context, status=422)
