"""The claim filters the workspace's filter bar and the API's `/claims/` share: what each
one means, written once. The workspace's FilterForm and the API's ClaimFilter only parse
their parameters into `ClaimFilters`; `filter_claims` turns them into SQL.

Every condition is on the claim's own row or an EXISTS or IN subquery, never a join to
its sources or notes, so it narrows any claim queryset (the workspace's placed and
aggregated one as well as the API's) and a claim with two matching sources appears once.

Independent review holds: the reviewer and disputed filters only see the notes and
summaries the user may see (annotate.access), so no filter tells what a hidden note says.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from django.db.models import Exists, OuterRef, Q, QuerySet

from annotate import access
from annotate.disagreement import disputed_q, with_note_range
from annotate.models import Citation, Claim, ConfidenceNote, Verdict

NO_VERDICT = "none"  # the verdict filter's value for claims not adjudicated yet
VERDICT_CHOICES = [(NO_VERDICT, "Not adjudicated"), *Verdict.choices]


@dataclass(frozen=True)
class ClaimFilters:
    """What to narrow a list of claims to; a blank or None field narrows nothing."""

    kind: str = ""
    verdict: str = ""  # a Verdict value, or NO_VERDICT
    reviewer: str = ""  # a username: claims they made, or noted (as far as the user sees)
    created_by: str = ""  # a username: claims they made
    disputed: bool | None = None  # True: disputed only; False: all but the disputed
    has_sources: bool | None = None
    stance: str = ""  # has a citation of this stance
    reliability: str = ""  # cites a source of this reliability
    q: str = ""  # words in the statement, the quote or who the claim is attributed to

    @property
    def active(self) -> bool:
        return any(getattr(self, f.name) not in ("", None) for f in fields(self))


def _disputed_claims(user) -> QuerySet[Claim]:
    """Claims disputed as the user may know it: a claim whose summary independent review
    hides from them is not disputed for them, either way."""
    visible = Claim.objects.filter(access.claims_with_visible_notes_q(user))
    return with_note_range(visible).filter(disputed_q()).values("pk")


def _has_source(**condition: str) -> Exists:
    """A citation on the claim (of a source) meeting the condition."""
    return Exists(Citation.objects.filter(claim=OuterRef("pk"), **condition))


def claim_conditions(filters: ClaimFilters, user, *, quote: str = "span__quote") -> Q:
    """The filters as one condition on Claim rows. `quote` names the quote searched: the
    span's as made, or (the workspace) `placed_quote`, the text where the revision read
    places it (annotate.reanchoring.placements)."""
    condition = Q()
    if filters.kind:
        condition &= Q(kind=filters.kind)
    if filters.verdict:
        condition &= Q(verdict="" if filters.verdict == NO_VERDICT else filters.verdict)
    if filters.reviewer:
        noted = ConfidenceNote.objects.filter(
            access.visible_notes_q(user), claim=OuterRef("pk"), reviewer__username=filters.reviewer
        )
        condition &= Q(created_by__username=filters.reviewer) | Q(Exists(noted))
    if filters.created_by:
        condition &= Q(created_by__username=filters.created_by)
    if filters.disputed is not None:
        disputed = Q(pk__in=_disputed_claims(user))
        condition &= disputed if filters.disputed else ~disputed
    if filters.has_sources is not None:
        condition &= Q(_has_source()) if filters.has_sources else ~Q(_has_source())
    if filters.stance:
        condition &= Q(_has_source(stance=filters.stance))
    if filters.reliability:
        condition &= Q(_has_source(source__reliability=filters.reliability))
    if filters.q:
        condition &= (
            Q(statement__icontains=filters.q)
            | Q(**{f"{quote}__icontains": filters.q})
            | Q(attributed_to__icontains=filters.q)
        )
    return condition


def filter_claims(
    claims: QuerySet[Claim], filters: ClaimFilters, user, *, quote: str = "span__quote"
) -> QuerySet[Claim]:
    """Narrow any claim queryset to the filters (see `claim_conditions`), in SQL."""
    return claims.filter(claim_conditions(filters, user, quote=quote))
