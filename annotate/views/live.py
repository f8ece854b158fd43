"""Live updates: an open workspace polls, and hears 204 until someone changes a claim.

The page holds the stamp of what it shows (annotate.selectors.current_change_stamp, as the
user sees the claims: a note independent review hides from them moves nothing, or the
poll would tell them a note was written); a poll sends it back. Unchanged costs one query
(after the user's permissions, which decide that) and answers 204 No Content, which htmx
leaves alone. Changed answers the paragraphs, the counters, the claim list (swapped only
where the panel shows it), a lead's Deleted claims and a new poller, all out of band: an
open form in the panel is never replaced. A new revision of the text reloads the page.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_htmx.http import HttpResponseClientRefresh

from annotate.selectors import current_change_stamp
from annotate.views.filters import read_filters, rejects_bad_filters
from annotate.views.workspace import (
    TEMPLATE,
    article_and_revision,
    deleted_out_of_band,
    orphans_for,
    reading_context,
)


@require_GET
@never_cache
@login_required
@rejects_bad_filters
def live(request: HttpRequest, slug: str) -> HttpResponse:
    since = request.GET.get("since", "")
    now = current_change_stamp(slug, request.user)
    if now and now == since:
        return HttpResponse(status=204)
    article, revision = article_and_revision(slug)
    if since.partition("-")[0] != str(revision.pk):
        return HttpResponseClientRefresh()
    filters = read_filters(request)
    context = {
        **reading_context(revision, filters, request.user, stamp=now),
        "article": article,
        "orphans": orphans_for(request.user, article, revision),
        "oob": True,
    }
    html = "".join(
        render_to_string(f"{TEMPLATE}#paragraph", {**context, "p": p}, request)
        for p in context["paragraphs"]
    )
    for part in ("counters", "claim-list", "live"):
        html += render_to_string(f"{TEMPLATE}#{part}", context, request)
    return HttpResponse(html + deleted_out_of_band(request, article))
