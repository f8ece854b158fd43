"""A page of changes as the feed shows it: each with its resource as the reader may see
it now, or a tombstone.

Why now and not as it was: a reader only ever needs the latest state of what changed
(every later change of it comes later in the feed), what they may see of it is decided
when they read (annotate.access), and two transactions can commit in another order than
they began. Rendering at read time makes all three hold at once: applying a page in order
leaves a copy equal to what the API shows now.

Each resource is read the way its own endpoint reads it (the selectors and serializers of
annotate.api), one query per kind of resource on the page, never one per change. A claim
is shown as `GET /api/v1/claims/{id}/?expand=notes` shows it, which is also its line in
the JSON Lines export.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.db.models import Prefetch
from django.urls import reverse
from rest_framework.request import Request

from annotate import claim_rows, selectors
from annotate.api import serializers as s
from annotate.api.claim_json import ClaimJson, address_maker
from annotate.changes.models import Change
from annotate.changes.selectors import Position
from annotate.models import Claim, SpanAnchor
from articles.models import Paragraph, Revision

Rendered = dict[int, dict[str, Any]]


def _claims(ids: set[int], request: Request) -> Rendered:
    claims = Claim.objects.filter(pk__in=ids)
    rows = list(claim_rows.claim_values(claims, request.user))
    shape = ClaimJson(request, expand_notes=True)
    return {row["id"]: shape.claim(row) for row in claim_rows.with_relations(rows, request.user)}


def _serialized(queryset: Callable[[Request], Any], serializer: type) -> Callable:
    """Render with the resource's own selector (as `queryset(request)`) and serializer."""

    def render(ids: set[int], request: Request) -> Rendered:
        context = {"request": request, "expand_notes": False}
        objs = queryset(request).filter(pk__in=ids)
        return {obj.pk: serializer(obj, context=context).data for obj in objs}

    return render


def _placements(ids: set[int], request: Request) -> Rendered:
    anchors = SpanAnchor.objects.filter(pk__in=ids).values(
        "id", "span_id", "revision__number", "status", "needs_review", "paragraph_id",
        "paragraph__position", "start", "end", "quote", "score",
    )  # fmt: skip
    span_url = address_maker(request, "api-span-detail")
    return {
        anchor["id"]: {
            "id": anchor["id"],
            "span": anchor["span_id"],
            "span_url": span_url(anchor["span_id"]),
            "revision": anchor["revision__number"],
            "status": anchor["status"],
            "needs_review": anchor["needs_review"],
            "paragraph": anchor["paragraph_id"],
            "paragraph_position": anchor["paragraph__position"],
            "start": anchor["start"],
            "end": anchor["end"],
            "quote": anchor["quote"],
            "score": anchor["score"],
        }
        for anchor in anchors
    }


def _revisions(ids: set[int], request: Request) -> Rendered:
    """A revision as `GET /api/v1/articles/{slug}/?revision=N` shows its article."""
    revisions = Revision.objects.filter(pk__in=ids).prefetch_related(
        Prefetch("paragraphs", queryset=Paragraph.objects.order_by("position"))
    )
    articles = {
        article.pk: article
        for article in selectors.api_articles().filter(revisions__in=ids).distinct()
    }
    numbers: dict[int, list[int]] = defaultdict(list)
    for article_id, number in (
        Revision.objects.filter(article_id__in=articles).order_by("number")
    ).values_list("article_id", "number"):
        numbers[article_id].append(number)
    rendered = {}
    for revision in revisions:
        article = articles[revision.article_id]
        article.selected_revision = revision
        article.selected_paragraphs = list(revision.paragraphs.all())
        article.revision_numbers = numbers[article.pk]
        rendered[revision.pk] = dict(
            s.ArticleDetailSerializer(article, context={"request": request}).data
        )
    return rendered


RENDERERS: dict[str, Callable[[set[int], Request], Rendered]] = {
    "article": _serialized(lambda r: selectors.api_articles(), s.ArticleSerializer),
    "revision": _revisions,
    "span": _serialized(lambda r: selectors.api_spans(), s.SpanSerializer),
    "placement": _placements,
    "claim": _claims,
    "source": _serialized(lambda r: selectors.api_sources(), s.SourceSerializer),
    "citation": _serialized(lambda r: selectors.api_citations(), s.CitationSerializer),
    "confidence-note": _serialized(
        lambda r: selectors.api_confidence_notes(r.user), s.ConfidenceNoteSerializer
    ),
    "relation": _serialized(lambda r: selectors.api_relations(), s.RelationSerializer),
}

# Each resource's address: its API endpoint (a placement is shown under its span, a
# revision as its article at that revision).
_DETAIL = {
    "span": "api-span-detail",
    "placement": "api-span-detail",
    "claim": "api-claim-detail",
    "source": "api-source-detail",
    "citation": "api-citation-detail",
    "confidence-note": "api-confidencenote-detail",
    "relation": "api-relation-detail",
}


class Addresses:
    """Resource addresses for one request, reversed once per kind."""

    def __init__(self, request: Request) -> None:
        self.request = request
        self.makers = {kind: address_maker(request, name) for kind, name in _DETAIL.items()}
        self.revision_numbers: dict[int, int] = {}

    def of(self, change: Change, data: dict[str, Any] | None) -> str | None:
        if change.resource in self.makers:
            if change.resource == "placement":
                return self.makers["span"](data["span"]) if data else None
            return self.makers[change.resource](change.object_id)
        if change.article is None:
            return None
        url = self.request.build_absolute_uri(
            reverse("api-article-detail", kwargs={"slug": change.article.slug})
        )
        if change.resource == "revision" and data:
            return f"{url}?revision={data['revision']['number']}"
        return url


def render(changes: list[Change], request: Request, origin: str) -> list[dict[str, Any]]:
    """The changes as the feed shows them to the request's user (`origin`: feed_origin)."""
    wanted: dict[str, set[int]] = defaultdict(set)
    for change in changes:
        wanted[change.resource].add(change.object_id)
    rendered = {kind: RENDERERS[kind](ids, request) for kind, ids in wanted.items()}
    addresses = Addresses(request)
    page = []
    for change in changes:
        # What they may not see (a note hidden from them) is gone, as far as they know.
        data = (
            None if change.action == "hidden" else rendered[change.resource].get(change.object_id)
        )
        page.append(
            {
                "id": change.pk,
                "cursor": str(Position.of(change, origin)),
                "type": change.type,
                "resource": change.resource,
                "action": change.action,
                "object_id": change.object_id,
                "url": addresses.of(change, data),
                "article": change.article.slug if change.article else None,
                "actor": change.actor.username if change.actor else None,
                "at": change.at,
                "tombstone": data is None,
                "data": data,
            }
        )
    return page
