"""Import fixtures: a seed report annotated by a reviewer and a lead (claims, citations,
notes, a verdict, a link), and a fresh copy of the same report to import into."""

from __future__ import annotations

import pytest

from annotate import relations, services
from annotate.models import Likelihood
from annotate.tests.api.conftest import client_for
from annotate.tests.factories import make_citation, make_claim, make_note
from articles.report_format import parse_report
from articles.services import article_import
from conftest import SEED_FILE

COPY = "doha-copy"


@pytest.fixture
def copy_article(db):
    """The seed report again, under another slug: what an export is imported into."""
    return article_import(report=parse_report(SEED_FILE.read_bytes()), slug=COPY)


@pytest.fixture
def annotated(seed_article, reviewer, lead):
    """Two claims of reviewer1's with citations, notes by both, a verdict, a link."""
    paragraphs = seed_article.revisions.get().paragraphs
    first = make_claim(
        paragraph=paragraphs.get(position=6),
        quote="the strike specifically targeted the negotiation team",
        statement="Israel targeted the negotiators",
        user=reviewer,
    )
    services.claim_update(claim=first, attributed_to="Hamas", kind="attribution", user=reviewer)
    make_citation(claim=first, user=reviewer, title="Al Jazeera report", stance="supports")
    make_citation(claim=first, user=reviewer, title="IDF statement", stance="refutes")
    make_note(claim=first, likelihood=Likelihood.LIKELY, user=reviewer)
    make_note(claim=first, likelihood=Likelihood.UNLIKELY, user=lead)
    services.claim_set_verdict(
        claim=first, verdict="mixed", rationale="Sources disagree.", user=lead
    )
    second = make_claim(
        paragraph=paragraphs.get(position=5),
        quote="The number of casualties is currently unknown.",
        user=reviewer,
    )
    relations.relation_create(
        from_claim=first, to_claim=second, type="part_of", rationale="Part.", user=reviewer
    )
    return seed_article


def export(article, user, fmt: str = "jsonl") -> bytes:
    response = client_for(user).get(f"/api/v1/articles/{article.slug}/export/{fmt}/")
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def post_import(article, user, body, *, content_type="application/x-ndjson", query=""):
    data = body if isinstance(body, bytes | str) else __import__("orjson").dumps(body)
    return client_for(user).post(
        f"/api/v1/articles/{article.slug}/import/{query}", data, content_type=content_type
    )


SEED_IRI = "http://testserver/api/v1/articles/doha-strike-2025-09-09/"


def annotation(exact: str, *, prefix: str = "", suffix: str = "", **extra) -> dict:
    """A W3C annotation of the seed report as an annotator might write it: a quote, its
    context, a comment."""
    return {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "type": "Annotation",
        "body": {"type": "TextualBody", "value": f"Says: {exact}"},
        "target": {
            "source": SEED_IRI,
            "selector": {"type": "TextQuoteSelector", "exact": exact, "prefix": prefix,
                         "suffix": suffix},
        },
    } | extra  # fmt: skip
