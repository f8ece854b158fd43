"""The workspace's claims as plain rows: what a highlight, a list row and the counters show.

A 5,000-claim report read as model instances (a Claim and its Span each, with fifteen
annotations) spent more time building objects than the database spent finding the rows.
The rows come from the same selector (annotate.selectors.workspace_claims: placement,
access and note range defined there once), read with `values_list` into a slotted object
that answers what the highlight and list code asks of a claim.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from annotate.highlights import STATE_LABELS, claim_disputed, claim_state
from annotate.selectors import workspace_claims
from articles.models import Revision

FIELDS = (
    "id",
    "span_id",
    "statement",
    "verdict",
    "placed_paragraph_id",
    "placed_position",
    "placed_start",
    "placed_end",
    "needs_review",
    "note_count",
    "note_min",
    "note_max",
    "source_count",
    "notes_visible",
)


@dataclass(slots=True)
class WorkspaceClaim:
    """One claim where the revision read places it (`paragraph_id`, `position`, `start`,
    `end`), with its state worked out for the user (see `_judge`)."""

    id: int
    span_id: int
    statement: str
    verdict: str
    paragraph_id: int
    position: int
    start: int
    end: int
    needs_review: bool
    note_count: int
    note_min: int | None
    note_max: int | None
    source_count: int
    notes_visible: bool
    disputed: bool = field(default=False, init=False)
    state: str = field(default="", init=False)
    state_label: str = field(default="", init=False)

    @property
    def pk(self) -> int:
        return self.id

    @property
    def span(self) -> WorkspaceClaim:
        """The placed span's start, end and paragraph_id, as highlights read a claim's."""
        return self


def workspace_claim_rows(queryset) -> list[WorkspaceClaim]:
    """The rows of a `workspace_claims` queryset (filtered or sliced as the caller needs),
    each judged for the user it was read for."""
    rows = [WorkspaceClaim(*values) for values in queryset.values_list(*FIELDS)]
    for row in rows:
        _judge(row)
    return rows


def revision_claim_rows(revision: Revision, user) -> list[WorkspaceClaim]:
    """Every claim placed in the revision, in reading order."""
    return workspace_claim_rows(workspace_claims(revision, user))


def _judge(claim: WorkspaceClaim) -> None:
    if not claim.notes_visible:  # independent review: no hint of how others judged
        claim.note_count, claim.note_min, claim.note_max = 0, None, None
    claim.disputed = claim_disputed(claim)
    claim.state = claim_state(claim)
    claim.state_label = STATE_LABELS[claim.state]
