"""How far reviewers agree: Krippendorff's alpha over their confidence notes.

Alpha, not percent agreement or Cohen's kappa, because reviewers judge different subsets
of claims (missing judgements are the rule), there are more than two of them, and the
likelihood scale is ordinal: "likely" beside "very likely" is a smaller disagreement
than "likely" beside "almost no chance". Alpha handles all three.

Computed with the coincidence-matrix method of Krippendorff, "Computing Krippendorff's
Alpha-Reliability" (2011): every unit (claim) with m >= 2 values contributes each ordered
pair of its values with weight 1/(m-1); alpha = 1 - D_o / D_e, where D_o is the observed
and D_e the expected disagreement under the chosen difference metric. Plain Python: the
matrices are at most 7 x 7 here.

`reliability_alpha` is pure (a matrix in, numbers out); `article_agreement` reads an
article's notes and adds what the agreement page shows beside alpha.

Alpha is computed for likelihood under three metrics (the page's headline figures), and
once per judgement a reviewer makes on their own (`NOTE_JUDGEMENTS`), each under its own
level of measurement: adding a judgement recorded on a note is one entry there. Stance
and information credibility are judged on citations (`CITATION_JUDGEMENTS`): their units
are (claim, source) pairs, so they are compared where two reviewers cite the same source
for the same claim (a reviewer's latest citation of it counts).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from itertools import permutations
from typing import Any

from annotate.disagreement import ConfidenceSummary, steps_spanned
from annotate.models import (
    AnalyticConfidence,
    Citation,
    Claim,
    ConfidenceNote,
    Credibility,
    Likelihood,
    Stance,
)
from articles.models import Article


class Metric(StrEnum):
    NOMINAL = "nominal"
    ORDINAL = "ordinal"
    INTERVAL = "interval"
    RATIO = "ratio"


@dataclass(frozen=True)
class Alpha:
    """Alpha under one metric, and the data it rests on.

    `value` is None when alpha is undefined: no unit has two judgements (nothing is
    pairable), or every pairable judgement is the same value (no variation to agree on;
    Krippendorff leaves 0/0 undefined rather than calling it perfect).
    """

    value: float | None
    pairable: int  # judgements in units that have at least two of them
    metric: Metric


Matrix = Sequence[Sequence[Any]]  # observers x units; None marks a missing judgement


def _pairable_units(matrix: Matrix) -> list[list[Any]]:
    """Each unit's judgements, for units with at least two: the others pair with nothing."""
    units = max((len(row) for row in matrix), default=0)
    columns = (
        [row[u] for row in matrix if u < len(row) and row[u] is not None] for u in range(units)
    )
    return [values for values in columns if len(values) >= 2]


def coincidences(matrix: Matrix) -> dict[tuple[Any, Any], float]:
    """The coincidence matrix o_ck: each ordered pair of a unit's values, weighted 1/(m-1)."""
    o: dict[tuple[Any, Any], float] = defaultdict(float)
    for values in _pairable_units(matrix):
        for c, k in permutations(values, 2):
            o[c, k] += 1 / (len(values) - 1)
    return o


def _difference(metric: Metric, n: dict[Any, float]) -> Callable[[Any, Any], float]:
    """The squared difference delta²(c, k) of the metric; ordinal needs the marginals n."""
    if metric is Metric.NOMINAL:
        return lambda c, k: 0.0 if c == k else 1.0
    if metric is Metric.INTERVAL:
        return lambda c, k: float(c - k) ** 2
    if metric is Metric.RATIO:
        return lambda c, k: 0.0 if c == k else ((c - k) / (c + k)) ** 2
    ranked = sorted(n)
    # Cumulative marginals: the ordinal distance between c and k counts the values
    # reviewers used between them, so an unused step of the scale adds nothing.
    cumulative: dict[Any, float] = {}
    total = 0.0
    for value in ranked:
        total += n[value]
        cumulative[value] = total

    def ordinal(c: Any, k: Any) -> float:
        low, high = (c, k) if c <= k else (k, c)
        between = cumulative[high] - cumulative[low] + n[low]  # sum of n_g for low..high
        return (between - (n[c] + n[k]) / 2) ** 2

    return ordinal


def reliability_alpha(matrix: Matrix, metric: Metric | str = Metric.ORDINAL) -> Alpha:
    """Krippendorff's alpha of an observers x units matrix with None for missing values."""
    metric = Metric(metric)
    o = coincidences(matrix)
    n: dict[Any, float] = Counter()
    for (c, _k), weight in o.items():
        n[c] += weight
    pairable = sum(len(values) for values in _pairable_units(matrix))
    if pairable == 0:
        return Alpha(value=None, pairable=pairable, metric=metric)
    delta = _difference(metric, n)
    observed = sum(weight * delta(c, k) for (c, k), weight in o.items())
    expected = sum(n[c] * n[k] * delta(c, k) for c in n for k in n)
    if expected == 0:
        return Alpha(value=None, pairable=pairable, metric=metric)
    return Alpha(value=1 - (pairable - 1) * observed / expected, pairable=pairable, metric=metric)


@dataclass(frozen=True)
class Judgement:
    """A judgement each reviewer records on their own note, and how its values compare."""

    field: str  # the ConfidenceNote field, and its name in the API
    label: str
    metric: Metric
    scale: tuple[Any, ...]  # its values, lowest first

    def rank(self, value: Any) -> int | None:
        """The value's place on the scale (1 = lowest), so that an ordinal metric orders
        values by the scale rather than by how they sort (text levels would not); None,
        a judgement not recorded (or a value off the scale), stays missing."""
        return self.scale.index(value) + 1 if value in self.scale else None


LIKELIHOOD = Judgement("likelihood", "Likelihood", Metric.ORDINAL, tuple(Likelihood.values))
ANALYTIC_CONFIDENCE = Judgement(
    "analytic_confidence", "Analytic confidence", Metric.ORDINAL, tuple(AnalyticConfidence.values)
)
# The judgements on a note that reviewers make independently, each a row of the agreement
# page and the API.
NOTE_JUDGEMENTS = (LIKELIHOOD, ANALYTIC_CONFIDENCE)
STANCE = Judgement("stance", "Stance", Metric.NOMINAL, tuple(Stance.values))
# 6, "truth cannot be judged", says no point of the scale applies: a missing judgement,
# not a step beyond "improbable".
CREDIBILITY = Judgement(
    "credibility",
    "Information credibility",
    Metric.ORDINAL,
    tuple(c for c in Credibility.values if c != Credibility.CANNOT_BE_JUDGED),
)
# The judgements on a citation, compared per (claim, source) between reviewers citing it.
CITATION_JUDGEMENTS = (STANCE, CREDIBILITY)


@dataclass(frozen=True)
class JudgementAgreement:
    judgement: Judgement
    alpha: Alpha


@dataclass(frozen=True)
class ReviewerCount:
    reviewer_id: int
    username: str
    notes: int


@dataclass(frozen=True)
class ClaimAgreement:
    claim: Claim
    summary: ConfidenceSummary
    likelihoods: dict[int, int]  # reviewer id -> likelihood

    @property
    def spread(self) -> int:
        """Steps of the scale the notes cover (0 without notes, 1 when all agree)."""
        if self.summary.lowest is None or self.summary.highest is None:
            return 0
        return steps_spanned(self.summary.lowest, self.summary.highest)


@dataclass(frozen=True)
class ArticleAgreement:
    ordinal: Alpha
    nominal: Alpha
    interval: Alpha
    reviewers: list[ReviewerCount]  # most notes first
    claims: list[ClaimAgreement]  # most disputed first
    # One per NOTE_JUDGEMENTS entry, then one per CITATION_JUDGEMENTS entry, in order.
    judgements: list[JudgementAgreement]

    @property
    def pairable(self) -> int:
        return self.ordinal.pairable


READING_ORDER = (
    "span__paragraph__revision__number",
    "span__paragraph__position",
    "span__start",
    "id",
)


def article_agreement(article: Article) -> ArticleAgreement:
    """Alpha over the article's confidence notes (reviewers x claims) and its citations
    (reviewers x (claim, source)), in three queries.

    Claims come most disputed first: disputed ones (annotate.disagreement's rule) before
    the rest, then by spread, then by how many reviewers judged them, then in reading
    order. Claims on spans orphaned by a revision still count: their notes are judgements
    all the same.
    """
    claims = list(
        Claim.objects.filter(span__paragraph__revision__article=article)
        .select_related("span__paragraph__revision")
        .order_by(*READING_ORDER)
    )
    fields = [judgement.field for judgement in NOTE_JUDGEMENTS]
    notes = ConfidenceNote.objects.filter(
        claim__span__paragraph__revision__article=article
    ).values_list("claim_id", "reviewer_id", "reviewer__username", *fields)
    # claim id -> reviewer id -> the reviewer's note on the claim, field by field
    judged: dict[int, dict[int, dict[str, Any]]] = defaultdict(dict)
    usernames: dict[int, str] = {}
    for claim_id, reviewer_id, username, *values in notes:
        judged[claim_id][reviewer_id] = dict(zip(fields, values, strict=True))
        usernames[reviewer_id] = username

    reviewer_ids = sorted(usernames)

    def matrix(judgement: Judgement) -> Matrix:
        """Reviewers x claims of the judgement's ranks; None where a reviewer has no note
        on the claim, or a note without this judgement."""
        return [
            [judgement.rank(judged[claim.pk].get(r, {}).get(judgement.field)) for claim in claims]
            for r in reviewer_ids
        ]

    likelihoods = matrix(LIKELIHOOD)  # ranks 1..7 are the likelihoods themselves
    counts = Counter(r for notes_of in judged.values() for r in notes_of)
    rows = []
    for claim in claims:
        values = {r: note["likelihood"] for r, note in judged[claim.pk].items()}
        rows.append(
            ClaimAgreement(
                claim=claim, summary=ConfidenceSummary.of(values.values()), likelihoods=values
            )
        )
    # sorted() is stable: equal keys keep reading order.
    rows.sort(key=lambda row: (not row.summary.disputed, -row.spread, -row.summary.count))
    return ArticleAgreement(
        ordinal=reliability_alpha(likelihoods, Metric.ORDINAL),
        nominal=reliability_alpha(likelihoods, Metric.NOMINAL),
        interval=reliability_alpha(likelihoods, Metric.INTERVAL),
        reviewers=sorted(
            (ReviewerCount(r, usernames[r], counts[r]) for r in reviewer_ids),
            key=lambda rc: (-rc.notes, rc.username),
        ),
        claims=rows,
        judgements=[
            *(
                JudgementAgreement(
                    judgement, reliability_alpha(matrix(judgement), judgement.metric)
                )
                for judgement in NOTE_JUDGEMENTS
            ),
            *citation_agreement(article),
        ],
    )


def citation_agreement(article: Article) -> list[JudgementAgreement]:
    """Alpha per CITATION_JUDGEMENTS entry over the article's citations, in one query: the
    units are (claim, source) pairs, the observers the reviewers citing them."""
    fields = [judgement.field for judgement in CITATION_JUDGEMENTS]
    citations = (
        Citation.objects.filter(claim__span__paragraph__revision__article=article)
        .order_by("id")
        .values_list("claim_id", "source_id", "added_by_id", *fields)
    )
    # (claim, source) -> reviewer -> their latest citation's judgements
    cited: dict[tuple[int, int], dict[int, dict[str, Any]]] = defaultdict(dict)
    for claim_id, source_id, reviewer_id, *values in citations:
        cited[claim_id, source_id][reviewer_id] = dict(zip(fields, values, strict=True))
    units = sorted(cited)
    citers = sorted({r for by_reviewer in cited.values() for r in by_reviewer})
    return [
        JudgementAgreement(
            judgement,
            reliability_alpha(
                [
                    [judgement.rank(cited[u].get(r, {}).get(judgement.field)) for u in units]
                    for r in citers
                ],
                judgement.metric,
            ),
        )
        for judgement in CITATION_JUDGEMENTS
    ]
