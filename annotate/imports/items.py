"""What an imported annotation says, in one shape for both formats.

Names (creator, reviewer, ...) are the usernames the file gives; the service decides
whose name each write goes under (annotate.access.may_import_as). Everything a file says
that is kept lands in one of these fields; what the formats carry but an import cannot
keep (ids, addresses, timestamps, derived summaries) is listed by each parser.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


class ItemError(Exception):
    """An item the request cannot hold as sent (a 400 naming its index)."""

    def __init__(self, index: int, message: str) -> None:
        super().__init__(message)
        self.index = index
        self.message = message


class Refusal(Exception):
    """An item that is well formed but cannot be imported (reported per item; with any
    refusal, nothing is written)."""


@dataclass(frozen=True)
class Target:
    """Where the annotation was: the quote with its context, and where known its place:
    code points into the canonical text (`text_start`, `text_end`) or a paragraph
    position with offsets into that paragraph (our JSON Lines)."""

    quote: str | None
    prefix: str = ""
    suffix: str = ""
    text_start: int | None = None
    text_end: int | None = None
    paragraph_position: int | None = None
    start: int | None = None
    end: int | None = None


@dataclass(frozen=True)
class CitationItem:
    source: dict[str, Any]  # source_find_or_create's fields
    stance: str
    credibility: int
    excerpt: str
    added_by: str | None


@dataclass(frozen=True)
class NoteItem:
    reviewer: str | None
    likelihood: Any
    analytic_confidence: Any
    rationale: str


@dataclass(frozen=True)
class VerdictItem:
    verdict: str
    rationale: str
    by: str | None


@dataclass
class ClaimItem:
    index: int
    key: str | None  # the id the file gives it, for links between claims
    target: Target
    statement: str
    kind: str
    attributed_to: str
    creator: str | None
    citations: list[CitationItem] = field(default_factory=list)
    notes: list[NoteItem] = field(default_factory=list)
    verdict: VerdictItem | None = None


@dataclass
class LinkItem:
    """A link between two claims of the same import, named by the keys the file gives."""

    index: int
    key: str | None
    from_key: str
    to_key: str
    type: str
    rationale: str
    creator: str | None


Item = ClaimItem | LinkItem
