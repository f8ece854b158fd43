"""One article with hostile text in every field a user can write, for the admin, export
and import tests: front matter, paragraphs, a claim on hostile text, a verdict, a citation
of a source, a note and a second revision that re-anchors the span."""

from __future__ import annotations

from dataclasses import dataclass

from annotate import services
from annotate.models import Claim, ReanchorReport
from annotate.reanchoring.reanchor import revision_import
from annotate.tests.factories import make_citation, make_claim, make_note
from annotate.tests.hostile_text import ALL_STORED, MARKUP_URL, fitted
from articles.models import Article
from articles.report_format import ParsedReport
from articles.services import article_import

PARAGRAPHS = [f"Standfirst {ALL_STORED}", f"A paragraph quoting {ALL_STORED} and more."]
REVISED = [f"Standfirst, revised {ALL_STORED}", f"A revised paragraph quoting {ALL_STORED}."]


@dataclass(frozen=True)
class HostileWorld:
    article: Article
    claim: Claim
    report: ReanchorReport


def hostile_world(*, author, other, lead) -> HostileWorld:
    meta = {
        "title": fitted("articles.Article.title"),
        "slug": "hostile",
        "publisher": fitted("articles.Article.publisher"),
        "language": fitted("articles.Article.language", '"><b>x'),
        "note": fitted("articles.Revision.note"),
        "url": MARKUP_URL,
    }
    article = article_import(report=ParsedReport(paragraphs=PARAGRAPHS, meta=meta))
    paragraph = article.revisions.get().paragraphs.get(position=2)
    claim = make_claim(paragraph=paragraph, quote=ALL_STORED, user=author, statement=ALL_STORED)
    services.claim_update(
        claim=claim, user=author, attributed_to=fitted("annotate.Claim.attributed_to")
    )
    make_citation(
        claim=claim, user=author, url=MARKUP_URL, title=ALL_STORED,
        publisher=fitted("annotate.Source.publisher"), excerpt=ALL_STORED,
        archive_url=MARKUP_URL,
    )  # fmt: skip
    make_note(claim=claim, likelihood=6, rationale=ALL_STORED, user=other)
    services.claim_set_verdict(claim=claim, verdict="mixed", rationale=ALL_STORED, user=lead)
    report = revision_import(article=article, paragraphs=REVISED, note=ALL_STORED, user=lead)
    return HostileWorld(article, Claim.objects.get(pk=claim.pk), report)
