"""A lead brings back what was deleted from a claim: one of its citations or notes.

(Deleted claims come back through claims.claim_restore, from the Deleted claims list.)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from annotate import access
from annotate import restore as restoring  # this module's own name is restore
from annotate.models import Citation, ConfidenceNote
from annotate.views.filters import rejects_bad_filters
from annotate.views.workspace import article_and_revision, claim_of, claim_url, render_claim


def _restore(
    request: HttpRequest, slug: str, model: type, pk: int, restore: Callable[[], Any]
) -> HttpResponse:
    """Restore a deleted citation or note of a claim of this report's current text, then
    show the claim (its paragraph and the counters out of band: its state may change)."""
    article, revision = article_and_revision(slug)
    if not access.can_restore(request.user):
        raise PermissionDenied("Only leads restore deleted citations and notes.")
    deletion = restoring.last_deletion(model, pk)
    if deletion is None:
        raise Http404(f"No deleted {model._meta.verbose_name} with that id.")
    claim = claim_of(revision, deletion.claim_id)  # 404 for another report's or a deleted claim
    try:
        restore()
    except ValidationError as error:
        notice = " ".join(error.messages)
        return render_claim(request, article, revision, claim.pk, notice=notice, status=409)
    if not request.htmx:
        return redirect(claim_url(article, claim, request.GET.urlencode()))
    return render_claim(request, article, revision, claim.pk, changed=claim.placed_paragraph_id)


@require_POST
@login_required
@rejects_bad_filters
@vary_on_headers("HX-Request")
def citation_restore(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _restore(
        request,
        slug,
        Citation,
        pk,
        lambda: restoring.citation_restore(citation_id=pk, user=request.user),
    )


@require_POST
@login_required
@rejects_bad_filters
@vary_on_headers("HX-Request")
def note_restore(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _restore(
        request,
        slug,
        ConfidenceNote,
        pk,
        lambda: restoring.confidence_note_restore(note_id=pk, user=request.user),
    )
