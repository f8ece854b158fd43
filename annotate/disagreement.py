"""What "disputed" means: the one definition the highlight, the filters, the API and the
agreement page share.

Reviewers' likelihoods sit on the seven-step ICD 203 scale (1..7). A claim is disputed
when its notes span at least ``settings.CLAIMDESK_DISPUTED_SPAN`` steps of that scale
(default 3: "unlikely" beside "likely" is a dispute, "likely" beside "very likely" is
not). A claim with fewer than two notes cannot be disputed.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, F, Max, Min, Q, QuerySet


def disputed_span() -> int:
    return settings.CLAIMDESK_DISPUTED_SPAN


def steps_spanned(lowest: int, highest: int) -> int:
    return highest - lowest + 1


@dataclass(frozen=True)
class ConfidenceSummary:
    count: int
    lowest: int | None
    median: float | None
    highest: int | None

    @property
    def disputed(self) -> bool:
        return (
            self.count >= 2
            and self.lowest is not None
            and self.highest is not None
            and steps_spanned(self.lowest, self.highest) >= disputed_span()
        )

    @classmethod
    def of(cls, likelihoods: Iterable[int]) -> ConfidenceSummary:
        values = sorted(likelihoods)
        if not values:
            return cls(count=0, lowest=None, median=None, highest=None)
        return cls(
            count=len(values),
            lowest=values[0],
            median=statistics.median(values),
            highest=values[-1],
        )


def with_note_range(claims: QuerySet, *, notes: str = "notes") -> QuerySet:
    """Annotate claims with note_count, note_min and note_max, for filtering in SQL."""
    return claims.annotate(
        note_count=Count(notes, distinct=True),
        note_min=Min(f"{notes}__likelihood"),
        note_max=Max(f"{notes}__likelihood"),
    )


def disputed_q() -> Q:
    """Filter for claims annotated by `with_note_range`: the SQL twin of
    `ConfidenceSummary.disputed`."""
    return Q(note_count__gte=2) & Q(note_max__gte=F("note_min") + (disputed_span() - 1))
