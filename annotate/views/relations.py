"""Linking claims from the claim panel, removing a link, and the Contradictions page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from annotate import relations
from annotate.forms import RelationForm, add_service_errors
from annotate.models import Claim, ClaimRelation
from annotate.relation_reads import contradicting_pairs, link_candidates
from annotate.versioning import StaleEdit
from annotate.views.filters import rejects_bad_filters
from annotate.views.workspace import (
    TEMPLATE,
    article_and_revision,
    claim_of,
    claim_url,
    render_claim,
)

STALE_LINK = "Someone changed this link meanwhile; it was not removed. Here it is as it is now."


def _search(request: HttpRequest) -> str:
    return request.GET.get("link_q", "")[:200]


@require_GET
@login_required
@rejects_bad_filters
@vary_on_headers("HX-Request")
def link_search(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The claims a link may go to, narrowed by `link_q`: for htmx the picker alone, else
    the page with the panel's link form open on the matches (it works without scripts)."""
    article, revision = article_and_revision(slug)
    claim = claim_of(revision, pk)
    query = _search(request)
    if not request.htmx:
        forms = {"link_query": query, "link_form_open": True}
        return render_claim(request, article, revision, pk, forms=forms)
    # The claim already chosen stays chosen while it matches.
    form = RelationForm(
        candidates=link_candidates(revision, claim, query),
        initial={"to_claim": request.GET.get("to_claim", "")},
        auto_id="link_%s",
    )
    context = {"relation_form": form, "article": article, "claim": claim}
    return render(request, f"{TEMPLATE}#link-picker", context)


@require_POST
@login_required
@rejects_bad_filters
@vary_on_headers("HX-Request")
def link_new(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    article, revision = article_and_revision(slug)
    claim = claim_of(revision, pk)
    query = request.POST.get("link_q", "")[:200]
    form = RelationForm(
        request.POST, candidates=link_candidates(revision, claim, query), auto_id="link_%s"
    )
    if form.is_valid():
        first, _, kind = form.ends(claim.pk)
        other = Claim.objects.filter(pk=form.cleaned_data["to_claim"]).first()
        if other is None:
            form.add_error("to_claim", "Is not a claim of this report.")
        else:
            from_claim, to_claim = (claim, other) if first == claim.pk else (other, claim)
            try:
                relations.relation_create(
                    from_claim=from_claim,
                    to_claim=to_claim,
                    type=kind,
                    rationale=form.cleaned_data["rationale"],
                    user=request.user,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return _saved(request, article, revision, claim)
    forms = {"relation_form": form, "link_form_open": True, "link_query": query}
    return render_claim(request, article, revision, pk, forms=forms, status=422)


@require_POST
@login_required
@rejects_bad_filters
def link_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Remove a link; the panel it was removed from (`claim`, one of its ends) shows again."""
    article, revision = article_and_revision(slug)
    relation = get_object_or_404(
        ClaimRelation, pk=pk, from_claim__span__paragraph__revision__article=article
    )
    ends = (relation.from_claim_id, relation.to_claim_id)
    shown = request.POST.get("claim", "")
    claim_pk = int(shown) if shown.isdigit() and int(shown) in ends else ends[0]
    try:
        relations.relation_delete(
            relation=relation,
            user=request.user,
            expected_version=request.POST.get("version") or None,
        )
    except StaleEdit:
        return render_claim(request, article, revision, claim_pk, notice=STALE_LINK, status=409)
    return _saved(request, article, revision, claim_of(revision, claim_pk))


def _saved(request, article, revision, claim: Claim) -> HttpResponse:
    if not request.htmx:
        return redirect(claim_url(article, claim, request.GET.urlencode()))
    return render_claim(request, article, revision, claim.pk, changed=claim.placed_paragraph_id)


@require_GET
@login_required
def contradictions(request: HttpRequest, slug: str) -> HttpResponse:
    """Every pair of the article's claims linked as contradicting, side by side."""
    article, _ = article_and_revision(slug)
    pairs = contradicting_pairs(article, request.user)
    context = {
        "article": article,
        "pairs": pairs,
        "both_supported": sum(1 for pair in pairs if pair.both_supported),
    }
    return render(request, "annotate/contradictions.html", context)
