"""Reads of relations between claims: a claim's links as its panel shows them, the claims
a link may go to, the Contradictions page's pairs, and a claim's "same claim as" others.

Every link reads from the claim it is shown on: "Contradicts: <other>", and for the
directional "part of", "Part of: <whole>" on the part and "Has as a part: <part>" on the
whole. Confidence is the summary as the reader may see it (access.sees_notes_of over the
notes selectors.api_claims lets them read), never recomputed with rules of its own.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from annotate import access
from annotate.disagreement import ConfidenceSummary
from annotate.models import Claim, ClaimRelation, RelationType, Verdict
from annotate.reanchoring.placements import claims_in_revision
from annotate.selectors import api_claims
from articles.models import Article, Revision

INVERSE_LABELS = {RelationType.PART_OF: "Has as a part"}
CANDIDATE_LIMIT = 50


@dataclass
class Link:
    """One relation as seen from one of its claims."""

    relation: ClaimRelation
    other: Claim
    label: str  # read from this claim: "Contradicts", "Part of", "Has as a part"
    may_delete: bool = False  # for the reader: set by the page showing it
    version: str = ""  # the relation's, for a removal that must not be stale


def label_from(relation: ClaimRelation, claim_id: int) -> str:
    if relation.from_claim_id != claim_id and relation.type in INVERSE_LABELS:
        return INVERSE_LABELS[RelationType(relation.type)]
    return relation.get_type_display()


def relations_of(claim_ids: list[int] | QuerySet) -> QuerySet[ClaimRelation]:
    """The relations with either end among the claims, both ends joined."""
    ends = Q(from_claim_id__in=claim_ids) | Q(to_claim_id__in=claim_ids)
    return ClaimRelation.objects.filter(ends).select_related("from_claim", "to_claim", "created_by")


def claim_links(claim: Claim) -> list[Link]:
    """The claim's links, in one query: type, then the other claim's statement."""
    links = []
    for relation in relations_of([claim.pk]):
        mine = relation.from_claim_id == claim.pk
        other = relation.to_claim if mine else relation.from_claim
        links.append(Link(relation, other, label_from(relation, claim.pk)))
    return sorted(links, key=lambda link: (link.label, link.other.statement, link.relation.pk))


def link_candidates(
    revision: Revision, claim: Claim, query: str = "", *, limit: int = CANDIDATE_LIMIT
) -> list[Claim]:
    """Claims of the revision a link from `claim` may go to, matching `query` in their
    statement or quote, in reading order; at most `limit` (search narrows them)."""
    claims = claims_in_revision(revision).exclude(pk=claim.pk)
    query = query.strip()
    if query:
        claims = claims.filter(Q(statement__icontains=query) | Q(placed_quote__icontains=query))
    ordered = claims.order_by("placed_position", "placed_start", "-placed_end", "id")
    return list(ordered.only("id", "statement")[:limit])


def same_claims(claim: Claim) -> list[Claim]:
    """The claims linked to this one as the same claim, with their verdicts."""
    return [link.other for link in claim_links(claim) if link.relation.type == RelationType.SAME_AS]


@dataclass(frozen=True)
class Side:
    claim: Claim
    summary: ConfidenceSummary | None  # None: hidden from the reader (independent review)


@dataclass(frozen=True)
class ContradictingPair:
    relation: ClaimRelation
    first: Side
    second: Side

    @property
    def sides(self) -> tuple[Side, Side]:
        return self.first, self.second

    @property
    def both_supported(self) -> bool:
        """Two claims that contradict each other cannot both be supported: a lead must
        look again at one of the verdicts."""
        return self.first.claim.verdict == self.second.claim.verdict == Verdict.SUPPORTED


def _side(claim: Claim, user) -> Side:
    notes = list(claim.notes.all())
    if not access.sees_notes_of(user, claim, notes):
        return Side(claim, None)
    return Side(claim, ConfidenceSummary.of(note.likelihood for note in notes))


def contradicting_pairs(article: Article, user) -> list[ContradictingPair]:
    """Every pair of the article's claims linked as contradicting, pairs whose claims are
    both supported first; a fixed number of queries whatever their number."""
    relations = list(
        ClaimRelation.objects.filter(
            type=RelationType.CONTRADICTS,
            from_claim__span__paragraph__revision__article=article,
        ).order_by("id")
    )
    ids = {r.from_claim_id for r in relations} | {r.to_claim_id for r in relations}
    claims = {c.pk: c for c in api_claims(user).filter(pk__in=ids)} if ids else {}
    pairs = [
        ContradictingPair(
            relation=r,
            first=_side(claims[r.from_claim_id], user),
            second=_side(claims[r.to_claim_id], user),
        )
        for r in relations
    ]
    return sorted(pairs, key=lambda pair: not pair.both_supported)
