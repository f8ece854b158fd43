"""The workspace of one article reads only that article's rows: every query its page, its
filtered list, the next rows of its list and its live poll make is EXPLAINed, and none may
read the whole of the paragraphs, spans or claims tables (a cost that grows with every other
article in the database: issue 13 found the workspace of article #50 of 100 scanning every
paragraph).

PostgreSQL runs with sequential scans, hash and merge joins turned off, so that the plan
shows whether a path by index from the article exists at all rather than what the planner
prefers for a test's handful of rows (it rightly reads a table of ten rows whole, or walks
its whole index to merge it); an index walked from end to end is a full read too. Even so,
with only the test's six spans in the database, walking the spans' primary key whole was
the cheapest path under some of the statistics an earlier test leaves behind: so the other
articles hold a few thousand spans and claims, spread over their paragraphs as in a
database of many articles, and a plan that reads them is as dear as it is in production.
SQLite's EXPLAIN QUERY PLAN must SEARCH those tables, never SCAN them.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotate.models import Claim, Span
from annotate.tests.factories import make_claim, make_note
from annotate.tests.query_plans import full_scans
from annotate.tests.workspace_helpers import csrf_client, paragraph, poll_url
from articles.report_format import parse_report
from articles.services import article_import
from conftest import SEED_FILE

pytestmark = pytest.mark.django_db

PAGES = {
    "the page": ("", False),
    "a search typed": ("?q=Hamas", True),
    "the next rows of the list": ("claims/list/?from=0", True),
}


@pytest.fixture
def three_articles(seed_article, reviewer, other_reviewer):
    """The seed report under independent review (so that the notes rule is in the plan)
    and more copies, three with claims and notes."""
    seed_article.independent_review = True
    seed_article.save(update_fields=["independent_review"])
    report = parse_report(SEED_FILE.read_bytes())
    articles = [seed_article] + [
        article_import(report=report, slug=f"copy-{n}", title=f"Copy {n}") for n in range(1, 6)
    ]
    for article in articles[:3]:
        for quote in ("Israel struck", "senior Hamas political officials"):
            claim = make_claim(paragraph=paragraph(article, 2), quote=quote, user=reviewer)
            make_note(claim=claim, user=other_reviewer, likelihood=2)
    _many_claims_elsewhere(articles[3:], reviewer)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
            for method in ("seqscan", "hashjoin", "mergejoin"):
                cursor.execute(f"SET LOCAL enable_{method} = off")
    return articles


def _many_claims_elsewhere(articles, user, per_paragraph: int = 60) -> None:
    """Rows of other articles, spread over their paragraphs as real claims are, and
    written in bulk: they only need to exist."""
    spans = Span.objects.bulk_create(
        Span(paragraph=p, start=0, end=6, quote=p.text[:6], created_by=user)
        for article in articles
        for p in article.revisions.get().paragraphs.all()
        for _ in range(per_paragraph)
    )
    Claim.objects.bulk_create(
        Claim(span=span, statement="Elsewhere", kind="factual", created_by=user) for span in spans
    )


def _reads(client, url: str, htmx: bool) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, headers={"HX-Request": "true"} if htmx else {})
    assert response.status_code == 200, url
    return [q["sql"] for q in captured.captured_queries if q["sql"].lstrip().startswith("SELECT")]


@pytest.mark.parametrize("name", PAGES)
def test_no_workspace_query_reads_other_articles_rows(three_articles, reviewer, name):
    suffix, htmx = PAGES[name]
    client = csrf_client(reviewer)
    scans = {}
    for sql in _reads(client, f"/articles/copy-1/{suffix}", htmx):
        if found := full_scans(sql, None):
            scans[sql[:160]] = found
    assert scans == {}


def test_the_live_poll_reads_no_other_articles_rows(three_articles, reviewer, other_reviewer):
    client = csrf_client(reviewer)
    page = client.get("/articles/copy-1/").content.decode()
    make_claim(paragraph=paragraph(three_articles[1], 6), quote="Hamas", user=other_reviewer)
    scans = {}
    for sql in _reads(client, poll_url(page), True):
        if found := full_scans(sql, None):
            scans[sql[:160]] = found
    assert scans == {}


def test_the_check_finds_a_scan(three_articles):
    """The test above can fail: a query that must read every claim is caught."""
    from annotate.models import Claim

    sql, params = Claim.objects.filter(statement__contains="x").query.sql_with_params()
    assert full_scans(sql, params) != []
