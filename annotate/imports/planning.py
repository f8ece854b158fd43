"""Where each imported annotation goes in the article's current revision.

By re-anchoring's rules (annotate.reanchoring.anchoring.place, its score floor
CLAIMDESK_REANCHOR_MIN_SCORE): the file's place (a paragraph position and offsets, or
code points into the canonical text: paragraphs joined by "\\n\\n") is tried first, then
the quote with its context anywhere in the text, then the most alike passage. Kept and
moved placements are exact; fuzzy and ambiguous ones are accepted and need review, as a
re-anchored span does; one that cannot be placed is refused. Pure: no writes.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from enum import StrEnum

from annotate.imports.items import Target
from annotate.reanchoring.anchoring import (
    CONTEXT_LENGTH,
    Outcome,
    Placement,
    RevisionText,
    Source,
    place,
)
from articles.models import PARAGRAPH_SEPARATOR, Paragraph, Revision


class Result(StrEnum):
    EXACT = "exact"
    FUZZY = "fuzzy"
    AMBIGUOUS = "ambiguous"
    REFUSED = "refused"


RESULTS = {
    Outcome.KEPT: Result.EXACT,
    Outcome.MOVED: Result.EXACT,
    Outcome.FUZZY: Result.FUZZY,
    Outcome.AMBIGUOUS: Result.AMBIGUOUS,
}


@dataclass(frozen=True)
class Spot:
    """A planned placement: the paragraph, offsets and text there, and how it was found
    (`placement.outcome`, `placement.score`: what a SpanAnchor records)."""

    result: Result
    placement: Placement
    paragraph: Paragraph
    start: int
    end: int
    quote: str  # the text at that place now (the imported quote, if it was exact)
    imported_quote: str

    @property
    def needs_review(self) -> bool:
        return self.placement.needs_review


class Unplaceable(Exception):
    pass


class CurrentText:
    """The current revision read once: its paragraphs, the anchoring index, and where
    each paragraph starts in the canonical text."""

    def __init__(self, revision: Revision, *, min_score: float) -> None:
        self.revision = revision
        self.paragraphs = list(revision.paragraphs.order_by("position"))
        self.text = RevisionText([p.text for p in self.paragraphs], context_length=CONTEXT_LENGTH)
        self.starts: list[int] = []
        offset = 0
        for paragraph in self.paragraphs:
            self.starts.append(offset)
            offset += len(paragraph.text) + len(PARAGRAPH_SEPARATOR)
        self.min_score = min_score

    def _in_paragraph(self, text_start: int, text_end: int) -> tuple[int, int, int] | None:
        """Canonical positions as (paragraph position, start, end), None when the range
        is outside the text or crosses a paragraph break."""
        index = bisect.bisect_right(self.starts, text_start) - 1
        if index < 0:
            return None
        start, end = text_start - self.starts[index], text_end - self.starts[index]
        if end > len(self.paragraphs[index].text):
            return None
        return index + 1, start, end

    def _source(self, target: Target) -> Source:
        position, start, end = target.paragraph_position, target.start, target.end
        if target.text_start is not None and target.text_end is not None:
            found = self._in_paragraph(target.text_start, target.text_end)
            if found is not None and (
                target.quote is None or found[2] - found[1] == len(target.quote)
            ):
                position, start, end = found
        quote = target.quote
        if quote is None:  # a position alone: whatever it selects now
            if position is None or start is None or end is None:
                raise Unplaceable("The position is outside the text or spans paragraphs.")
            quote = self.paragraphs[position - 1].text[start:end]
        if position is None or start is None or end is None:
            position, start, end = 0, 0, len(quote)  # no place given: search only
        return Source(position, start, end, quote, target.prefix, target.suffix)

    def plan(self, target: Target) -> Spot:
        source = self._source(target)
        if not source.quote.strip():
            raise Unplaceable("The quote is empty.")
        placed = place(source, self.text, min_score=self.min_score)
        if placed.outcome == Outcome.ORPHANED or placed.position is None:
            best = f" (the most alike passage scored {placed.score:.0f})" if placed.score else ""
            raise Unplaceable(
                f"Not found in revision {self.revision.number}{best}; the floor is "
                f"{self.min_score:.0f}."
            )
        assert placed.start is not None
        assert placed.end is not None
        paragraph = self.paragraphs[placed.position - 1]
        return Spot(
            result=RESULTS[placed.outcome],
            placement=placed,
            paragraph=paragraph,
            start=placed.start,
            end=placed.end,
            quote=paragraph.text[placed.start : placed.end],
            imported_quote=source.quote,
        )
