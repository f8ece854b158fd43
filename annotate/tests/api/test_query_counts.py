"""No N+1: each list costs the same number of queries for 5 objects as for 50."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotate import services
from annotate.tests.api.conftest import client_for
from annotate.tests.factories import make_citation, make_note

pytestmark = pytest.mark.django_db

LISTS = [
    "/api/v1/claims/",
    "/api/v1/claims/?expand=notes",
    "/api/v1/claims/?has_sources=true&stance=supports&ordering=-updated_at",
    "/api/v1/spans/",
    "/api/v1/sources/",
    "/api/v1/sources/?q=example&ordering=title",
    "/api/v1/citations/",
    "/api/v1/citations/?reliability=B&credibility=3",
    "/api/v1/confidence-notes/",
    "/api/v1/articles/",
]


def add_claims(article, count, reviewers, start_at=0):
    paragraphs = list(article.revisions.get().paragraphs.order_by("position"))
    for n in range(start_at, start_at + count):
        paragraph = paragraphs[n % len(paragraphs)]
        offset = n // len(paragraphs)
        quote = paragraph.text[offset : offset + 12]
        claim = services.claim_create_with_span(
            paragraph=paragraph, start=offset, end=offset + 12, quote=quote,
            statement=f"Claim {n}", user=reviewers[n % 2],
        )  # fmt: skip
        for reviewer in reviewers:
            # A source of its own per citation, so the sources list grows as well.
            make_citation(claim=claim, user=reviewer, title=f"Source {n} by {reviewer.pk}")
            make_note(claim=claim, likelihood=1 + n % 7, user=reviewer)


def queries_for(client, url) -> int:
    """The list's own queries. The throttle's read and write of the shared cache table (four
    queries, in a savepoint here) are the same for every request and not the list's."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content
    cache_table = settings.CACHES["default"]["LOCATION"]
    return sum(
        cache_table not in query["sql"] and "SAVEPOINT" not in query["sql"]
        for query in queries.captured_queries
    )


def test_lists_cost_the_same_for_5_and_50_objects(
    seed_article, reviewer, other_reviewer, researcher
):
    reviewers = [reviewer, other_reviewer]
    client = client_for(researcher)
    add_claims(seed_article, 5, reviewers)
    few = {url: queries_for(client, url) for url in LISTS}
    add_claims(seed_article, 45, reviewers, start_at=5)

    many = {url: queries_for(client, url) for url in LISTS}

    assert many == few
    assert len(client.get("/api/v1/claims/").json()["results"]) == 50
    assert few["/api/v1/claims/"] <= 8
