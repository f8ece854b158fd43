"""Split a paragraph's text into segments at every span boundary.

Spans overlap and nest (a sentence-level claim inside a paragraph-level one). Cutting
the text at every start and end gives a run of segments, each covered by a fixed set
of spans, so that any overlap shows and each segment knows its spans. Offsets are code
points, which is how Python slices strings; the template escapes each segment's text.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Protocol

from annotate.disagreement import ConfidenceSummary
from annotate.models import Verdict


class Ranged(Protocol):
    start: int
    end: int


@dataclass(frozen=True)
class Segment:
    start: int
    end: int
    text: str
    spans: tuple  # the spans covering [start, end), outermost (longest) first


def segments(text: str, spans: Iterable[Ranged]) -> list[Segment]:
    """Segments of `text` in order; together they are the whole text, exactly once."""
    inside = [span for span in spans if 0 <= span.start < span.end <= len(text)]
    cuts = sorted({0, len(text)} | {s.start for s in inside} | {s.end for s in inside})
    # Sweep the cuts: spans sorted by start enter as the sweep passes them.
    pending = sorted(inside, key=lambda s: (s.start, -s.end))
    active: list = []
    result: list[Segment] = []
    index = 0
    for left, right in pairwise(cuts):
        active = [s for s in active if s.end > left]
        while index < len(pending) and pending[index].start <= left:
            active.append(pending[index])
            index += 1
        covering = tuple(sorted(active, key=_outer_first))
        result.append(Segment(start=left, end=right, text=text[left:right], spans=covering))
    return result


def _outer_first(span: Ranged) -> tuple[int, int]:
    return (-(span.end - span.start), span.start)


# What the workspace draws: each segment's claims and the state its colour shows.

OPEN = "open"
DISPUTED = "disputed"
STATE_LABELS = {OPEN: "Not adjudicated", DISPUTED: "Disputed", **dict(Verdict.choices)}


def claim_disputed(claim) -> bool:
    """For a claim annotated by `with_note_range`; the rule is annotate.disagreement's."""
    summary = ConfidenceSummary(
        count=claim.note_count, lowest=claim.note_min, median=None, highest=claim.note_max
    )
    return summary.disputed


def claim_state(claim) -> str:
    """A lead's verdict when there is one; otherwise disputed or open."""
    if claim.verdict:
        return claim.verdict
    return DISPUTED if claim_disputed(claim) else OPEN


@dataclass(frozen=True)
class SpanMark:
    start: int
    end: int
    claims: tuple


@dataclass(frozen=True)
class Highlight:
    """A segment as the page shows it: plain text when no claim covers it."""

    start: int
    text: str
    claims: tuple  # outermost span's claims first
    state: str
    dimmed: bool  # every claim on it is filtered out
    head: bool = False  # a claim's span begins here (j / k step over these)
    needs_review: bool = False  # a placement on it a lead has not checked yet

    @property
    def count(self) -> int:
        return len(self.claims)

    @property
    def state_label(self) -> str:
        return STATE_LABELS.get(self.state, "")


def segment_state(claims: Sequence, states: dict[int, str] | None = None) -> str:
    """Disputed wins (it needs a lead), then open; else the innermost claim's verdict."""
    known = states or {}
    return _state_of([known.get(c.pk) or claim_state(c) for c in claims])


def paragraph_highlights(
    text: str, claims: Sequence, matching: set[int] | None = None
) -> list[Highlight]:
    """Highlights for one paragraph's claims (each with `.span`, and `.state` when the
    caller has worked it out already); `matching` is the set of claim ids the filters
    keep, None when nothing is filtered.

    Thousands of claims pass through here for every workspace page, so each claim's
    state, id and review flag are read once into plain values before the sweep."""
    by_span: dict[int, list] = {}
    for claim in claims:
        by_span.setdefault(claim.span_id, []).append(claim)
    marks = [
        SpanMark(start=group[0].span.start, end=group[0].span.end, claims=tuple(group))
        for group in by_span.values()
    ]
    facts = {
        id(claim): (
            getattr(claim, "state", None) or claim_state(claim),
            claim.id,
            bool(getattr(claim, "needs_review", False)),
        )
        for claim in claims
    }
    result = []
    for segment in segments(text, marks):
        covering_claims = tuple(c for mark in segment.spans for c in mark.claims)
        if not covering_claims:
            result.append(Highlight(segment.start, segment.text, (), "", False))
            continue
        known = [facts[id(c)] for c in covering_claims]
        dimmed = matching is not None and not any(pk in matching for _, pk, _ in known)
        result.append(
            Highlight(
                segment.start,
                segment.text,
                covering_claims,
                _state_of([state for state, _, _ in known]),
                dimmed,
                head=any(mark.start == segment.start for mark in segment.spans),
                needs_review=any(review for _, _, review in known),
            )
        )
    return result


def _state_of(states: list[str]) -> str:
    """segment_state's rule on states already known."""
    if DISPUTED in states:
        return DISPUTED
    if OPEN in states:
        return OPEN
    return states[-1]
