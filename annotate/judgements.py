"""Analytic confidence as it reads: in words, and counted over a claim's notes.

Notes recorded before analytic confidence existed have none (NULL, see
annotate.models.ConfidenceNote): they read "Not recorded" everywhere and are counted as
such, never as a level someone chose. Likelihood has its own summary in
annotate.disagreement.
"""

from __future__ import annotations

from collections.abc import Iterable

from annotate.models import AnalyticConfidence

CONFIDENCE_LABELS = {value: str(label) for value, label in AnalyticConfidence.choices}
NOT_RECORDED = "not_recorded"
NOT_RECORDED_LABEL = "Not recorded"


def confidence_label(value: str | None) -> str:
    """A note's analytic confidence in words."""
    return NOT_RECORDED_LABEL if value is None else CONFIDENCE_LABELS[value]


def level_label(level: str) -> str:
    """The words for a key of confidence_counts."""
    return NOT_RECORDED_LABEL if level == NOT_RECORDED else CONFIDENCE_LABELS[level]


def confidence_counts(values: Iterable[str | None]) -> dict[str, int]:
    """Notes at each level, low to high, then those without one (`not_recorded`)."""
    counts = dict.fromkeys([*AnalyticConfidence.values, NOT_RECORDED], 0)
    for value in values:
        counts[NOT_RECORDED if value is None else value] += 1
    return counts
