"""A revision 2 of the seed report that moves, orphans and fuzzily re-places claims:
shared by the API and browser tests of placements."""

from __future__ import annotations

from annotate.reanchoring.reanchor import revision_import
from annotate.tests.factories import make_claim
from articles.models import Article
from articles.report_format import parse_report
from conftest import SEED_FILE

SEED = parse_report(SEED_FILE.read_bytes()).paragraphs
CASUALTIES = "The number of casualties is currently unknown."
KILLED = "At least six people were killed."


def claims_across_a_revision(article: Article, user) -> dict:
    """Three claims on revision 1, then revision 2: a paragraph inserted before (moved),
    the casualty line rewritten (orphan), a verb changed in a quote (fuzzy)."""
    paragraphs = {p.position: p for p in article.revisions.get(number=1).paragraphs.all()}
    claims = {
        "moved": make_claim(paragraph=paragraphs[3], quote="Loud explosions", user=user),
        "orphan": make_claim(paragraph=paragraphs[5], quote=CASUALTIES, user=user),
        "fuzzy": make_claim(
            paragraph=paragraphs[6], quote="The attack comes just as Hamas", user=user
        ),
    }
    new = ["A new standfirst.", *SEED]
    new[5] = SEED[4].replace(CASUALTIES, KILLED)
    new[6] = SEED[5].replace("The attack comes", "The attack came")
    revision_import(article=article, paragraphs=new)
    return claims
