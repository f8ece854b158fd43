"""The agreement page: how far reviewers agree on an article's claims."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from annotate import access
from annotate.agreement import Alpha, article_agreement
from annotate.disagreement import disputed_span
from articles.models import Article


@require_GET
@login_required
def agreement(request: HttpRequest, slug: str) -> HttpResponse:
    article = get_object_or_404(Article, slug=slug)
    if not access.may_see_agreement(request.user, article):
        raise PermissionDenied("Under independent review, reviewers don't see others' notes.")
    result = article_agreement(article)
    context = {
        "article": article,
        "agreement": result,
        "undefined_because": undefined_because(result.ordinal),
        "disputed_span": disputed_span(),
    }
    return render(request, "annotate/agreement.html", context)


def undefined_because(alpha: Alpha) -> str:
    """Why alpha has no value, in words; empty when it has one."""
    if alpha.value is not None:
        return ""
    if alpha.pairable == 0:
        return (
            "Alpha is undefined: no claim has notes from two reviewers yet, so there is "
            "nothing to compare."
        )
    return (
        "Alpha is undefined: every note that can be compared gives the same likelihood, "
        "so there is no variation to agree or disagree on."
    )
