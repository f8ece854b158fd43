"""The seed report with one of everything an export carries: claims with a verdict,
attribution, citations of a fully described source, notes of two reviewers, links of each
reading, and a revision 2 that moves, orphans and fuzzily re-places claims.
Shared by the linked-data, W3C-suite and data-package tests."""

from __future__ import annotations

from dataclasses import dataclass

from annotate import services
from annotate.models import AnalyticConfidence, Claim, Likelihood, RelationType, Stance
from annotate.relations import relation_create
from annotate.tests.factories import make_citation, make_claim, make_note
from annotate.tests.relation_helpers import CONFLICTING, NOT_KILLED
from annotate.tests.revised_seed import claims_across_a_revision
from articles.models import Article

# Commas, quotes, line breaks, a formula start, markup and text beyond ASCII: what a CSV
# writer, a spreadsheet or a JSON-LD processor might mangle.
HOSTILE = 'He said, "no"\n=1+2, <b>&amp;</b> «قطر» 👍🏽\r\nend'


@dataclass
class World:
    article: Article
    not_killed: Claim
    conflicting: Claim
    moved: Claim
    orphan: Claim
    fuzzy: Claim

    @property
    def claims(self) -> list[Claim]:
        return [self.not_killed, self.conflicting, self.moved, self.orphan, self.fuzzy]


def annotated_seed(article: Article, *, reviewer, other_reviewer, lead, text: str = "") -> World:
    """Everything on the seed report; `text` (e.g. HOSTILE) goes into every free-text
    field a user writes."""
    paragraph = article.revisions.get().paragraphs.get(position=5)
    not_killed = make_claim(paragraph=paragraph, quote=NOT_KILLED, user=reviewer)
    conflicting = make_claim(paragraph=paragraph, quote=CONFLICTING, user=other_reviewer)
    services.claim_update(
        claim=not_killed,
        user=reviewer,
        statement=f"Khalil al-Hayya survived {text}".strip(),
        attributed_to=f"A senior Hamas source {text}".strip(),
    )
    make_citation(
        claim=not_killed,
        user=reviewer,
        url="https://example.org/al-jazeera-live",
        title=f"Al Jazeera live {text}".strip(),
        publisher=f"Al Jazeera {text}".strip(),
        published_on="2025-09-09",
        archive_url="https://web.archive.org/web/2025/https://example.org/al-jazeera-live",
        excerpt=f"was not killed {text}".strip(),
    )
    make_citation(claim=conflicting, user=other_reviewer, stance=Stance.REFUTES, title="Asharq")
    make_note(
        claim=not_killed,
        user=reviewer,
        likelihood=Likelihood.LIKELY,
        rationale=f"Two sources agree {text}".strip(),
    )
    make_note(
        claim=not_killed,
        user=other_reviewer,
        likelihood=Likelihood.UNLIKELY,
        analytic_confidence=AnalyticConfidence.LOW,
    )
    services.claim_set_verdict(
        claim=not_killed, verdict="mixed", rationale=f"Sources differ {text}".strip(), user=lead
    )
    relation_create(
        from_claim=not_killed,
        to_claim=conflicting,
        type=RelationType.CONTRADICTS,
        rationale=f"One says alive {text}".strip(),
        user=reviewer,
    )
    relation_create(
        from_claim=conflicting, to_claim=not_killed, type=RelationType.PART_OF, user=reviewer
    )
    # Brought in by an import under the importer's name: the file's author stays on it.
    Claim.objects.filter(pk=conflicting.pk).update(
        imported_creator=f"hypothesis:anna {text}".strip()
    )
    moved = claims_across_a_revision(article, reviewer)
    return World(article, not_killed, conflicting, **moved)
