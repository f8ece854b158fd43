"""The reviewer's pages. Views stay thin: selectors read, services write."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from annotate.selectors import article_list_with_counts
from articles.models import Article
from articles.selectors import article_current_revision, revision_paragraphs


@require_GET
@login_required
def article_list(request: HttpRequest) -> HttpResponse:
    return render(request, "annotate/article_list.html", {"articles": article_list_with_counts()})


@require_GET
@login_required
def workspace(request: HttpRequest, slug: str) -> HttpResponse:
    article = get_object_or_404(Article, slug=slug)
    revision = article_current_revision(article)
    if revision is None:
        raise Http404("This article has no text yet.")
    context = {
        "article": article,
        "revision": revision,
        "paragraphs": revision_paragraphs(revision),
    }
    return render(request, "annotate/workspace.html", context)
