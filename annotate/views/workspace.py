"""What the workspace template shows, assembled from selectors in a fixed number of
queries, and the responses the pages share (the claim panel with its out-of-band parts)."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django_htmx.http import push_url

from annotate import access, history
from annotate.claim_filters import filter_claims
from annotate.forms import CitationForm, NoteForm, VerdictForm
from annotate.highlights import (
    STATE_LABELS,
    Highlight,
    claim_disputed,
    claim_state,
    paragraph_highlights,
)
from annotate.judgements import confidence_counts, level_label
from annotate.models import Citation, Claim, ConfidenceNote, Likelihood, Reliability, Span
from annotate.reanchoring.placements import claims_in_revision
from annotate.selectors import (
    claim_for_panel,
    current_change_stamp,
    orphans_with_claims,
    workspace_claims,
    workspace_reviewers,
)
from annotate.versioning import version_of
from annotate.views.filters import FilterState, read_filters
from annotate.views.fragments import claim_rows_html, paragraph_html
from annotate.views.relation_panel import relation_panel
from annotate.workspace_rows import WorkspaceClaim, revision_claim_rows, workspace_claim_rows
from articles.models import Article, Paragraph, Revision
from articles.selectors import article_current_revision, revision_paragraphs

TEMPLATE = "annotate/workspace.html"


def article_and_revision(slug: str, number: int | None = None) -> tuple[Article, Revision]:
    """The article and the revision read: the current one, or revision `number` (404 when
    there is none). `revision.is_current` tells the pages whether it may be annotated."""
    article = get_object_or_404(Article, slug=slug)
    current = article_current_revision(article)
    if current is None:
        raise Http404("This article has no text yet.")
    if number is None or number == current.number:
        current.is_current, current.current_number = True, current.number
        return article, current
    revision = get_object_or_404(Revision, article=article, number=number)
    revision.is_current, revision.current_number = False, current.number
    return article, revision


def read_only(revision: Revision) -> bool:
    """Old revisions are for reading: new claims and edits only on the current text."""
    return not getattr(revision, "is_current", True)


def claim_of(revision: Revision, pk: int) -> Claim:
    """A claim placed in the revision, for a write; 404 for another report's claim and for
    an orphan's."""
    return get_object_or_404(claims_in_revision(revision).select_related("span"), pk=pk)


@dataclass(frozen=True)
class ParagraphView:
    paragraph: Paragraph
    highlights: list[Highlight]
    html: str  # the text with its highlights, escaped (see fragments.paragraph_html)

    @property
    def position(self) -> int:
        return self.paragraph.position


@dataclass(frozen=True)
class Counters:
    total: int
    disputed: int
    adjudicated: int
    without_sources: int
    shown: int | None  # None when nothing is filtered

    @classmethod
    def of(cls, claims: list[WorkspaceClaim], matching: set[int] | None) -> Counters:
        return cls(
            total=len(claims),
            disputed=sum(1 for c in claims if c.disputed),
            adjudicated=sum(1 for c in claims if c.verdict),
            without_sources=sum(1 for c in claims if not c.source_count),
            shown=None if matching is None else len(matching),
        )


# The claims list shows this many rows, then loads the next ones as it is scrolled to
# (htmx "revealed"; without scripts a link to the page listing from there). A 5,000-claim
# report listed whole was 1.2 MB of the page's 1.4 MB of HTML and most of its render time.
LIST_PAGE = 100


def reading_context(
    revision: Revision,
    filters: FilterState,
    user: AbstractBaseUser,
    *,
    stamp: str | None = None,
    list_from: int = 0,
) -> dict:
    """Paragraphs with highlights, the first page of the listed claims (from `list_from`)
    and the counters: three queries, and one for the live poller's stamp unless given. The
    stamp is read before the claims: a change in between then shows at the next poll
    instead of going unnoticed. An old revision is not polled (it is read only; the stamp
    is "")."""
    if read_only(revision):
        stamp = ""
    elif stamp is None:
        stamp = current_change_stamp(revision.article.slug, user)
    paragraphs = list(revision_paragraphs(revision))
    claims = revision_claim_rows(revision, user)
    matching = None
    if filters.active:
        # The quote searched is the one shown: where this revision places the span.
        kept = filter_claims(
            workspace_claims(revision, user), filters.claims, user, quote="placed_quote"
        )
        matching = set(kept.values_list("pk", flat=True))
    by_paragraph: dict[int, list[WorkspaceClaim]] = {}
    for claim in claims:
        by_paragraph.setdefault(claim.paragraph_id, []).append(claim)
    base = reverse("annotate:workspace", kwargs={"slug": revision.article.slug})
    query = filters.query
    views = []
    for p in paragraphs:
        highlights = paragraph_highlights(p.text, by_paragraph.get(p.pk, []), matching)
        html = paragraph_html(highlights)
        views.append(ParagraphView(p, highlights, html))
    listed = [c for c in claims if matching is None or c.pk in matching]
    return {
        "paragraphs": views,
        **list_page(listed, list_from, base=base, query=query),
        "counters": Counters.of(claims, matching),
        "filter_query": query,
        "stamp": stamp,
        "poll_seconds": settings.CLAIMDESK_LIVE_POLL_SECONDS,
    }


def list_page(listed: list[WorkspaceClaim], start: int, *, base: str, query: str) -> dict:
    """One page of the claims list: `listed` holds the rows from `start` on, and one more
    when there is a next page (`more_from` is then where it begins)."""
    rows = listed[start : start + LIST_PAGE]
    more = start + LIST_PAGE < len(listed)
    return {
        "listed": rows,
        "listed_html": claim_rows_html(rows, base=base, query=query),
        "list_from": start,
        "more_from": start + LIST_PAGE if more else None,
    }


def claim_rows_context(revision: Revision, filters: FilterState, user, start: int) -> dict:
    """The page of the claims list from `start`, read alone (one query, LIMIT/OFFSET): the
    rows a scrolled list loads next, without the highlights or counters."""
    claims = workspace_claims(revision, user)
    if filters.active:
        claims = filter_claims(claims, filters.claims, user, quote="placed_quote")
    rows = workspace_claim_rows(claims[start : start + LIST_PAGE + 1])
    base = reverse("annotate:workspace", kwargs={"slug": revision.article.slug})
    page = list_page(rows, 0, base=base, query=filters.query)
    return {**page, "more_from": start + LIST_PAGE if page["more_from"] else None}


def page_context(
    request: HttpRequest, article: Article, revision: Revision, *, list_from: int = 0
) -> dict:
    filters = read_filters(request)
    context = reading_context(revision, filters, request.user, list_from=list_from)
    context.update(
        article=article,
        revision=revision,
        filter_form=filters.form,
        reviewers=workspace_reviewers(revision, request.user),
        # Revisions are numbered 1, 2, … (articles.services.revision_create): no query.
        revision_numbers=range(1, revision.current_number + 1),
        read_only=read_only(revision),
        may_see_agreement=access.may_see_agreement(request.user, article),
        can_add_claim=(
            not read_only(revision)
            and access.can_add(request.user, Span)
            and access.can_add(request.user, Claim)
        ),
        legend=list(STATE_LABELS.items()),
        deleted=history.deleted_claims(article) if access.can_restore(request.user) else None,
        orphans=orphans_for(request.user, article, revision),
    )
    return context


def orphans_for(user: AbstractBaseUser, article: Article, revision: Revision) -> list | None:
    """Spans with no place in the current text, for a lead to re-attach; None for whoever
    does not re-attach (no Orphans section at all)."""
    if not access.can_reanchor(user) or read_only(revision):
        return None
    return list(orphans_with_claims(article))


def panel_context(user: AbstractBaseUser, claim: Claim, *, writable: bool = True) -> dict:
    """The open claim with what the user may do to it and its evidence (nothing when it is
    shown on an old revision: `writable` is False)."""
    notes = list(claim.notes.all())
    mine = next((n for n in notes if n.reviewer_id == user.pk), None)
    citations = list(claim.citations.all())
    for citation in citations:
        citation.version = version_of(citation)
        citation.may_change = writable and access.can_change(user, citation)
        citation.may_delete = writable and access.can_delete(user, citation)
        citation.source.version = version_of(citation.source)
        citation.may_rate_source = writable and access.can_change(user, citation.source)
    # The notes are those the user sees: with independent review, only their own until
    # they record it (then `notes_visible`).
    likelihoods = [n.likelihood for n in notes] if claim.notes_visible else []
    claim.note_count = len(likelihoods)
    claim.note_min = min(likelihoods, default=None)
    claim.note_max = max(likelihoods, default=None)
    claim.disputed = claim_disputed(claim)
    claim.state = claim_state(claim)
    claim.state_label = STATE_LABELS[claim.state]
    timeline = history.claim_timeline(claim, user)
    may_restore = writable and access.can_restore(user)
    strip = [
        {
            "value": value,
            "label": label,
            "count": likelihoods.count(value),
            "dots": range(likelihoods.count(value)),
        }
        for value, label in Likelihood.choices
    ]
    # Beside the strip (which stays on likelihood): the notes at each analytic confidence.
    levels = confidence_counts(n.analytic_confidence for n in notes) if claim.note_count else {}
    confidence_levels = [
        {"value": level, "label": level_label(level), "count": count}
        for level, count in levels.items()
        if count
    ]
    return {
        "claim": claim,
        "claim_version": version_of(claim),
        "may_change_claim": writable and access.can_change(user, claim),
        "may_delete_claim": writable and access.can_delete(user, claim),
        "may_adjudicate": writable and access.can_adjudicate(user),
        "may_confirm_placement": writable and claim.needs_review and access.can_reanchor(user),
        "may_add_citation": writable and access.can_add(user, Citation),
        "may_note": writable
        and (access.can_change(user, mine) if mine else access.can_add(user, ConfidenceNote)),
        "my_note": mine,
        "my_note_version": version_of(mine) if mine else "",
        "other_notes": [n for n in notes if n.reviewer_id != user.pk],
        "notes_hidden": not claim.notes_visible,
        "strip": strip,
        "confidence_levels": confidence_levels,
        "citations_by_stance": _by_stance(citations),
        "reliability_choices": Reliability.choices,
        # Fresh forms; a view passes bound ones instead to show errors.
        "note_form": NoteForm(
            initial={
                "likelihood": mine.likelihood,
                "analytic_confidence": mine.analytic_confidence,
                "rationale": mine.rationale,
                "version": version_of(mine),
            }
            if mine
            else {},
            auto_id="note_%s",
        ),
        "verdict_form": VerdictForm(
            initial={
                "verdict": claim.verdict,
                # Changing or withdrawing a verdict needs a new reason: start blank.
                "version": version_of(claim),
            },
            auto_id="verdict_%s",
        ),
        "citation_form": CitationForm(auto_id="citation_%s"),
        "timeline": timeline,
        "deleted_evidence": (history.deleted_evidence(timeline, notes) if may_restore else []),
    }


def _by_stance(citations: list[Citation]) -> list[dict]:
    groups = []
    for value, label in Citation._meta.get_field("stance").choices:
        members = [c for c in citations if c.stance == value]
        groups.append({"stance": value, "label": label, "citations": members})
    return groups


def claim_url(article: Article, claim: Claim | int, query: str = "") -> str:
    pk = claim if isinstance(claim, int) else claim.pk
    url = reverse("annotate:claim", kwargs={"slug": article.slug, "pk": pk})
    return f"{url}?{query}" if query else url


def workspace_url(article: Article, query: str = "") -> str:
    url = reverse("annotate:workspace", kwargs={"slug": article.slug})
    return f"{url}?{query}" if query else url


def render_claim(
    request: HttpRequest,
    article: Article,
    revision: Revision,
    pk: int,
    *,
    forms: dict | None = None,
    notice: str = "",
    status: int = 200,
    changed: int | None = None,
) -> HttpResponse:
    """The workspace with a claim open: the whole page, or for htmx the panel, plus the
    changed paragraph (by id) and the counters out of band after a write."""
    claim = claim_for_panel(revision, pk, request.user)
    if claim is None:
        raise Http404("No such claim in this report.")
    if not request.htmx:
        context = page_context(request, article, revision)
    else:
        filters = read_filters(request)
        context = {"article": article, "revision": revision, "filter_query": filters.query}
        context["read_only"] = read_only(revision)
    writable = not read_only(revision)
    context.update(panel_context(request.user, claim, writable=writable))
    query = (forms or {}).get("link_query")
    context.update(relation_panel(request.user, claim, revision, writable=writable, query=query))
    context.update(forms or {}, notice=notice, panel="claim")
    if not request.htmx:
        return render(request, TEMPLATE, context, status=status)
    response = render(request, f"{TEMPLATE}#claim-panel", context, status=status)
    if changed is not None:
        response.content += out_of_band(request, article, revision, changed).encode()
        push_url(response, claim_url(article, claim, context["filter_query"]))
    return response


def out_of_band(
    request: HttpRequest, article: Article, revision: Revision, paragraph_id: int | None
) -> str:
    """The changed paragraph's highlights and the counters, as hx-swap-oob fragments."""
    filters = read_filters(request)
    context = reading_context(revision, filters, request.user)
    context.update(article=article, oob=True)
    html = render_to_string(f"{TEMPLATE}#counters", context, request)
    if paragraph_id is not None:
        view = next(v for v in context["paragraphs"] if v.paragraph.pk == paragraph_id)
        html += render_to_string(f"{TEMPLATE}#paragraph", {**context, "p": view}, request)
    return html


def deleted_out_of_band(request: HttpRequest, article: Article) -> str:
    """A lead's Deleted claims list as an hx-swap-oob fragment, for responses that may have
    changed it (an in-page delete, a poll); "" for whoever does not see the list."""
    if not access.can_restore(request.user):
        return ""
    context = {"article": article, "deleted": history.deleted_claims(article), "oob": True}
    return render_to_string(f"{TEMPLATE}#deleted-claims", context, request)
