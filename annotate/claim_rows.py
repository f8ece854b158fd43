"""Claims as plain rows, for the reads that list many of them: the API's claims list and
the exports.

Building a model per claim, citation and note, and Django's prefetch (a queryset cloned per
claim), cost most of a 100-claim page; these reads return dicts straight from
`values()`, in a fixed number of queries per batch of claims: one for the claims with
their span, paragraph, revision, article, users and target revision; one for their
citations with their sources; one for the notes the user sees; one for re-anchored
placements when any claim needs one. Access and placement rules are annotate.access's
and annotate.reanchoring.placements'.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any

from django.db.models import F, Q, QuerySet

from annotate import access
from annotate.models import Citation, Claim, ClaimRelation, ConfidenceNote
from annotate.reanchoring.placements import placement_from, target_anchors, with_target_revision
from annotate.selectors import notes_visible
from annotate.versioning import SEEN, updated_at_seen_by

Row = dict[str, Any]

CLAIM_VALUES = {
    "span_paragraph": F("span__paragraph_id"),
    "paragraph_position": F("span__paragraph__position"),
    "revision_id": F("span__paragraph__revision_id"),
    "article": F("span__paragraph__revision__article__slug"),
    "start": F("span__start"),
    "end": F("span__end"),
    "quote": F("span__quote"),
    "prefix": F("span__prefix"),
    "suffix": F("span__suffix"),
    "created_by_name": F("created_by__username"),
    "verdict_by_name": F("verdict_by__username"),
}
CLAIM_FIELDS = (
    "id", "span_id", "statement", "kind", "attributed_to", "imported_creator", "verdict",
    "verdict_rationale",
    "verdict_at", "created_at", "updated_at", SEEN, "target_revision", "made_on",
    "notes_visible",
)  # fmt: skip
CITATION_FIELDS = (
    "id", "claim_id", "source_id", "excerpt", "stance", "credibility", "created_at",
    "updated_at",
)  # fmt: skip
# The cited source's fields, joined in the citations' one query.
CITATION_VALUES = {
    "added_by_name": F("added_by__username"),
    **{
        f"source_{name}": F(f"source__{name}")
        for name in (
            "url", "title", "publisher", "published_on", "archive_url", "reliability",
            "reliability_set_at", "created_at", "updated_at",
        )
    },
    "source_reliability_set_by_name": F("source__reliability_set_by__username"),
    "source_created_by_name": F("source__created_by__username"),
}  # fmt: skip
NOTE_FIELDS = (
    "id", "claim_id", "reviewer_id", "likelihood", "analytic_confidence", "rationale",
    "created_at", "updated_at",
)  # fmt: skip
RELATION_FIELDS = ("id", "from_claim_id", "to_claim_id", "type", "rationale")
ANCHOR_FIELDS = (
    "span_id", "status", "needs_review", "paragraph_id", "paragraph__position", "start",
    "end", "quote",
)  # fmt: skip


def claim_values(claims: QuerySet[Claim], user, *, revision: int | None = None) -> QuerySet:
    """A (filtered, not yet ordered) claims queryset as rows: CLAIM_FIELDS and
    CLAIM_VALUES, with the target revision of placements (`revision` of each article, the
    current one when None; see placements.with_target_revision), `notes_visible`
    (independent review: whether the user sees others' notes and the summary) and, for
    its version, when it last changed as the user sees it (versioning.SEEN; `updated_at`,
    what everyone sees, stays for `?ordering=updated_at` and its cursor)."""
    claims = with_target_revision(claims, revision=revision).annotate(
        notes_visible=notes_visible(user), **{SEEN: updated_at_seen_by(user)}
    )
    return claims.values(*CLAIM_FIELDS, **CLAIM_VALUES)


def with_relations(
    rows: list[Row], user, *, revision: int | None = None, note_details: bool = True
) -> list[Row]:
    """Add to each claim row its `citations` (with their sources), the `notes` the user
    sees (in the order recorded), its `relations` to other claims (either way, by id) and
    its `anchor` in the target revision (None when it was made there or has no placed
    anchor). Without `note_details`, notes carry only what the summary needs."""
    by_id = {row["id"]: row for row in rows}
    for row in rows:
        row["citations"], row["notes"], row["relations"], row["anchor"] = [], [], [], None
    if not rows:
        return rows
    citations = Citation.objects.filter(claim_id__in=by_id).order_by("stance", "id")
    for citation in citations.values(*CITATION_FIELDS, **CITATION_VALUES):
        by_id[citation["claim_id"]]["citations"].append(citation)
    notes = ConfidenceNote.objects.filter(access.visible_notes_q(user), claim_id__in=by_id)
    notes = notes.order_by("created_at", "id")
    if note_details:
        notes = notes.values(*NOTE_FIELDS, reviewer_name=F("reviewer__username"))
    else:
        notes = notes.values("claim_id", "likelihood")
    for note in notes:
        by_id[note["claim_id"]]["notes"].append(note)
    ends = Q(from_claim_id__in=by_id) | Q(to_claim_id__in=by_id)
    links = ClaimRelation.objects.filter(ends).order_by("id")
    for link in links.values(*RELATION_FIELDS):
        for end in {link["from_claim_id"], link["to_claim_id"]} & by_id.keys():
            by_id[end]["relations"].append(link)
    _attach_anchors(rows, revision)
    return rows


def _attach_anchors(rows: list[Row], revision: int | None) -> None:
    moved: dict[int, list[Row]] = defaultdict(list)  # a span may carry several claims
    for row in rows:
        if row["target_revision"] is not None and row["target_revision"] > row["made_on"]:
            moved[row["span_id"]].append(row)
    if not moved:
        return
    anchors = target_anchors(revision).filter(span_id__in=moved, paragraph__isnull=False)
    for (
        span_id,
        status,
        needs_review,
        paragraph,
        position,
        start,
        end,
        quote,
    ) in anchors.values_list(*ANCHOR_FIELDS):
        anchor = {
            "status": status,
            "needs_review": needs_review,
            "paragraph": paragraph,
            "paragraph_position": position,
            "start": start,
            "end": end,
            "quote": quote,
        }
        for row in moved[span_id]:
            row["anchor"] = anchor


def placement(row: Row) -> dict | None:
    """The claim row's placement in its target revision (placements.placement_from)."""
    made_here = {
        "paragraph": row["span_paragraph"],
        "paragraph_position": row["paragraph_position"],
        "start": row["start"],
        "end": row["end"],
        "quote": row["quote"],
    }
    return placement_from(
        row["target_revision"], row["made_on"], made_here=made_here, anchor=row["anchor"]
    )


def in_batches(rows: Iterable[Row], user, *, size: int, **options: Any) -> Iterator[Row]:
    """Claim rows streamed from `rows` (a values() queryset's iterator) with their
    relations, read `size` claims at a time so memory stays flat however many there are."""
    rows = iter(rows)
    while batch := list(islice(rows, size)):
        yield from with_relations(batch, user, **options)
