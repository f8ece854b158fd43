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
from dataclasses import dataclass
from itertools import islice
from typing import Any

import orjson
from django.db.models import F, OuterRef, Q, QuerySet

from annotate import access
from annotate.json_sql import JsonArray, JsonObject, UtcIso
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


# The nested read: one query gives each claim with its citations (and sources), the notes
# the user sees and its links as JSON text columns that the database wrote (annotate.
# json_sql), in the shape the caller gives (annotate.api.claim_json: the API's), and the
# claim's own timestamps as text the way the API writes them. The same claims, notes and
# order as claim_values + with_relations; no IN list of ids, and no value converted by
# Django one at a time.

_TIMESTAMPS = ("verdict_at", "created_at")  # the claim's own, read as text (and renamed)


@dataclass(frozen=True)
class NestedShape:
    """What each nested object holds: `key=expression` pairs, the expressions over a
    Citation (with `source__…`), a ConfidenceNote and a ClaimRelation row."""

    citation: dict[str, Any]
    note: dict[str, Any]
    relation: dict[str, Any]


def _raw(fields: Iterable[str], **values: Any) -> dict[str, Any]:
    shape = {name: F(name) for name in fields} | values
    return {name: UtcIso(value) if name.endswith("_at") else value for name, value in shape.items()}


def raw_shape() -> NestedShape:
    """Nested objects as with_relations' rows hold them (CITATION_FIELDS and
    CITATION_VALUES, NOTE_FIELDS and the reviewer's name, RELATION_FIELDS), timestamps as
    text: for the exports that write their own formats."""
    return NestedShape(
        citation=_raw(CITATION_FIELDS, **CITATION_VALUES),
        note=_raw(NOTE_FIELDS, reviewer_name=F("reviewer__username")),
        relation=_raw(RELATION_FIELDS),
    )


def citations_of_claim() -> QuerySet[Citation]:
    """The citations of the outer query's claim, in the order a claim lists them."""
    return Citation.objects.filter(claim=OuterRef("pk")).order_by("stance", "id")


def notes_of_claim(user) -> QuerySet[ConfidenceNote]:
    """The notes of the outer query's claim that the user sees, in the order recorded."""
    notes = ConfidenceNote.objects.filter(access.visible_notes_q(user), claim=OuterRef("pk"))
    return notes.order_by("created_at", "id")


def relations_of_claim() -> QuerySet[ClaimRelation]:
    """The links of the outer query's claim, either way."""
    ends = Q(from_claim=OuterRef("pk")) | Q(to_claim=OuterRef("pk"))
    return ClaimRelation.objects.filter(ends).order_by("id")


def claim_values_nested(
    claims: QuerySet[Claim],
    user,
    shape: NestedShape,
    *,
    revision: int | None = None,
    cursor_field: str | None = None,
) -> QuerySet:
    """`claim_values` with each claim's citations, notes and relations in the same query,
    as JSON text in `shape` (`load_nested` reads a batch of rows). A cursor paginator
    reads `cursor_field` (`created_at`, `updated_at`) of the page's rows as a datetime,
    as from claim_values."""
    claims = with_target_revision(claims, revision=revision).annotate(
        notes_visible=notes_visible(user), **{SEEN: UtcIso(updated_at_seen_by(user))}
    )
    plain = [
        name
        for name in CLAIM_FIELDS
        if name not in (*_TIMESTAMPS, "updated_at") or name == cursor_field
    ]
    return claims.values(
        *plain,
        **CLAIM_VALUES,
        **{f"{name}_text": UtcIso(name) for name in _TIMESTAMPS},
        citations_json=JsonArray(citations_of_claim().values(j=JsonObject(**shape.citation))),
        notes_json=JsonArray(notes_of_claim(user).values(j=JsonObject(**shape.note))),
        relations_json=JsonArray(relations_of_claim().values(j=JsonObject(**shape.relation))),
    )


def load_nested(rows: list[Row], *, revision: int | None = None) -> list[Row]:
    """Rows of `claim_values_nested` with `citations`, `notes`, `relations` (lists of
    the shape's dicts) and `anchor` (as with_relations gives it); timestamps as text."""
    loads = orjson.loads
    for row in rows:
        for name in _TIMESTAMPS:
            row[name] = row.pop(f"{name}_text")
        row["citations"] = loads(row.pop("citations_json"))
        row["notes"] = loads(row.pop("notes_json"))
        row["relations"] = loads(row.pop("relations_json"))
        row["anchor"] = None
    _attach_anchors(rows, revision)
    return rows


def nested_batches(rows: Iterable[Row], *, size: int, **options: Any) -> Iterator[list[Row]]:
    """Rows of `claim_values_nested` (its iterator) loaded `size` at a time."""
    rows = iter(rows)
    while batch := list(islice(rows, size)):
        yield load_nested(batch, **options)


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
    for batch in batches_with_relations(rows, user, size=size, **options):
        yield from batch


def batches_with_relations(
    rows: Iterable[Row], user, *, size: int, **options: Any
) -> Iterator[list[Row]]:
    """As `in_batches`, a batch (a list of `size` claim rows) at a time."""
    rows = iter(rows)
    while batch := list(islice(rows, size)):
        yield with_relations(batch, user, **options)
