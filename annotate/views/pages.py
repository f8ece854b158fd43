"""Reading: the article list, the workspace, a claim opened in its panel, and the
chooser for a highlight that several claims share."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from annotate import access
from annotate.selectors import (
    article_list_with_counts,
    at_placement,
    claims_at,
    disputed_counts_by_article,
)
from annotate.views.filters import BadFilter, read_filters, rejects_bad_filters
from annotate.views.workspace import (
    TEMPLATE,
    article_and_revision,
    claim_rows_context,
    page_context,
    reading_context,
    render_claim,
)


@require_GET
@login_required
def article_list(request: HttpRequest) -> HttpResponse:
    articles = list(article_list_with_counts(request.user))
    disputed = disputed_counts_by_article(request.user)
    for article in articles:
        article.disputed_count = disputed.get(article.pk, 0)
        article.may_see_agreement = access.may_see_agreement(request.user, article)
    return render(request, "annotate/article_list.html", {"articles": articles})


@require_GET
@login_required
@rejects_bad_filters
@vary_on_headers("HX-Request")
def workspace(request: HttpRequest, slug: str) -> HttpResponse:
    """The report with its highlights; for htmx (the filter bar, closing the panel) only
    the reading area and the claim list."""
    filters = read_filters(request)
    article, revision = article_and_revision(slug, filters.revision)
    if request.htmx:
        context = {**reading_context(revision, filters, request.user), "article": article}
        return render(request, f"{TEMPLATE}#reading", context)
    return render(request, TEMPLATE, page_context(request, article, revision))


@require_GET
@login_required
@rejects_bad_filters
@vary_on_headers("HX-Request")
def claim_rows(request: HttpRequest, slug: str) -> HttpResponse:
    """The claims list from row `from` on: for htmx the rows alone (the list loads them as
    it is scrolled to); without scripts the whole page, its list starting there."""
    filters = read_filters(request)
    start = list_start(request)
    article, revision = article_and_revision(slug, filters.revision)
    if request.htmx:
        context = {
            **claim_rows_context(revision, filters, request.user, start),
            "article": article,
            "filter_query": filters.query,
        }
        return render(request, f"{TEMPLATE}#claim-rows", context)
    return render(request, TEMPLATE, page_context(request, article, revision, list_from=start))


def list_start(request: HttpRequest) -> int:
    """The `from` row of the claims list (400 naming it when it is no row number)."""
    value = request.GET.get("from", "0")
    if not value.isdigit() or len(value) > 9:
        raise BadFilter(f"Filter 'from': {value!r} is not a row number.")
    return int(value)


@require_GET
@login_required
@rejects_bad_filters
@vary_on_headers("HX-Request")
def claim_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    filters = read_filters(request)
    article, revision = article_and_revision(slug, filters.revision)
    return render_claim(request, article, revision, pk)


@require_GET
@login_required
@rejects_bad_filters
@vary_on_headers("HX-Request")
def claims_here(request: HttpRequest, slug: str, position: int, offset: int) -> HttpResponse:
    """A highlight's claims: straight to the claim when there is one, else a chooser."""
    filters = read_filters(request)
    article, revision = article_and_revision(slug, filters.revision)
    claims = at_placement(list(claims_at(revision, position=position, offset=offset)))
    if not claims:
        raise Http404("No claim covers this place.")
    if len(claims) == 1:
        return render_claim(request, article, revision, claims[0].pk)
    context = {"article": article, "chooser": claims, "panel": "chooser"}
    if request.htmx:
        context["filter_query"] = filters.query
        return render(request, f"{TEMPLATE}#chooser", context)
    context = {**page_context(request, article, revision), **context}
    return render(request, TEMPLATE, context)
