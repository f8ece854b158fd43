"""What the claim panel shows of the claim's links: the links read from this claim, the
form to add one, and a lead's offer to give a "same claim as" claim this verdict too."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser

from annotate import access
from annotate.forms import RelationForm, VerdictForm
from annotate.models import Claim, ClaimRelation
from annotate.relation_reads import claim_links, link_candidates
from annotate.versioning import version_of
from articles.models import Revision


def relation_panel(
    user: AbstractBaseUser,
    claim: Claim,
    revision: Revision,
    *,
    writable: bool,
    query: str | None = None,
) -> dict:
    """`query` is the search for the other claim of a new link, None while the link form
    is closed: its list of claims is then read only when the form is opened (a search, or
    htmx on opening it), not with every panel."""
    links = claim_links(claim)
    for link in links:
        link.may_delete = writable and access.can_delete(user, link.relation)
        link.version = version_of(link.relation)
    may_link = writable and access.can_add(user, ClaimRelation)
    searched = may_link and query is not None
    candidates = link_candidates(revision, claim, query) if searched else None
    return {
        "links": links,
        "may_link": may_link,
        "link_query": query or "",
        "relation_form": RelationForm(candidates=candidates, auto_id="link_%s"),
        "verdict_offers": verdict_offers(user, claim, links, writable=writable),
    }


def verdict_offers(user: AbstractBaseUser, claim: Claim, links, *, writable: bool) -> list[dict]:
    """For a lead, each claim linked as the same claim whose verdict differs from this
    one's: a verdict form for it, prefilled with this verdict and its rationale. Nothing is
    applied until the lead sends it (a normal adjudication of the other claim)."""
    if not (writable and claim.verdict and access.can_adjudicate(user)):
        return []
    offers = []
    for link in links:
        other = link.other
        if link.relation.type != "same_as" or other.verdict == claim.verdict:
            continue
        form = VerdictForm(
            initial={
                "verdict": claim.verdict,
                "rationale": claim.verdict_rationale,
                "version": version_of(other),
            },
            auto_id=f"same{other.pk}_%s",
        )
        offers.append({"claim": other, "form": form})
    return offers
