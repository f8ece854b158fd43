"""The workspace's claims list comes a page at a time: the page holds the first rows and a
"More claims" row that loads the next (htmx, when scrolled to), or without scripts opens
the page listing from there. The page size is made small here so that a few claims fill
several pages."""

from __future__ import annotations

import re

import pytest

from annotate.tests.factories import make_claim
from annotate.tests.workspace_helpers import csrf_client, paragraph, workspace_url
from annotate.views import workspace as workspace_views

pytestmark = pytest.mark.django_db

# Five claims in reading order (paragraph 2, then 6).
QUOTES = [
    (2, "Israel struck"),
    (2, "senior Hamas political officials"),
    (6, "Hamas officials were meeting"),
    (6, "A Hamas source told"),
    (6, "the negotiation team"),
]


@pytest.fixture
def five_claims(seed_article, reviewer, monkeypatch):
    monkeypatch.setattr(workspace_views, "LIST_PAGE", 2)
    claims = []
    for position, quote in QUOTES:
        p = paragraph(seed_article, position)
        claims.append(make_claim(paragraph=p, quote=quote, user=reviewer, statement=f"S {quote}"))
    return claims


def _listed(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'<li><a href="[^"]*/claims/(\d+)/', html)]


def _more(html: str) -> str | None:
    found = re.search(r'<li class="more"><a href="([^"]+)" hx-get="([^"]+)"', html)
    if not found:
        return None
    assert found.group(1) == found.group(2)  # the same rows with and without scripts
    return found.group(1).replace("&amp;", "&")


def _in_order(claims):
    """Claims in the list's reading order (paragraph, start)."""
    return sorted(claims, key=lambda c: (c.span.paragraph.position, c.span.start, c.pk))


def test_the_page_lists_the_first_rows_and_a_link_to_the_next(seed_article, reviewer, five_claims):
    html = csrf_client(reviewer).get(workspace_url(seed_article)).content.decode()
    ordered = [c.pk for c in _in_order(five_claims)]
    assert _listed(html) == ordered[:2]
    assert _more(html) == f"/articles/{seed_article.slug}/claims/list/?from=2"
    assert "<strong>5</strong> claims" in html  # the counters count every claim


def test_scrolling_loads_each_next_page_until_the_last(seed_article, reviewer, five_claims):
    client = csrf_client(reviewer)
    ordered = [c.pk for c in _in_order(five_claims)]
    url = _more(client.get(workspace_url(seed_article)).content.decode())
    seen = []
    while url:
        rows = client.get(url, headers={"HX-Request": "true"})
        assert rows.status_code == 200
        html = rows.content.decode()
        assert "<html" not in html  # the rows alone
        assert 'id="claim-list"' not in html
        seen += _listed(html)
        url = _more(html)
    assert seen == ordered[2:]


def test_the_next_pages_keep_the_filters(seed_article, reviewer, five_claims):
    client = csrf_client(reviewer)
    hamas = [c.pk for c in _in_order(five_claims) if "Hamas" in c.statement]
    html = client.get(workspace_url(seed_article) + "?q=Hamas").content.decode()
    assert _listed(html) == hamas[:2]
    url = _more(html)
    assert url == f"/articles/{seed_article.slug}/claims/list/?from=2&q=Hamas"
    rows = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert _listed(rows) == hamas[2:]
    assert _more(rows) is None
    assert f"/claims/{hamas[2]}/?q=Hamas" in rows  # its links keep the filters too


def test_without_scripts_the_link_opens_the_page_listing_from_there(
    seed_article, reviewer, five_claims
):
    ordered = [c.pk for c in _in_order(five_claims)]
    url = f"/articles/{seed_article.slug}/claims/list/?from=2"
    html = csrf_client(reviewer).get(url).content.decode()
    assert 'id="report"' in html  # the whole page, highlights and all
    assert _listed(html) == ordered[2:4]
    assert 'start="3"' in html  # numbered on from the rows before
    assert _more(html) == f"/articles/{seed_article.slug}/claims/list/?from=4"


@pytest.mark.parametrize("value", ["-1", "two", "9" * 12])
def test_a_bad_row_number_is_a_400_that_names_it(seed_article, reviewer, value):
    url = f"/articles/{seed_article.slug}/claims/list/?from={value}"
    response = csrf_client(reviewer).get(url, headers={"HX-Request": "true"})
    assert response.status_code == 400
    assert "'from'" in response.content.decode()


def test_the_rows_are_the_claims_the_user_may_see_and_no_others(
    seed_article, reviewer, five_claims, other_reviewer
):
    """Another article's claims never appear in this one's list, however far it goes."""
    from articles.report_format import parse_report
    from articles.services import article_import
    from conftest import SEED_FILE

    other = article_import(report=parse_report(SEED_FILE.read_bytes()), slug="other-copy")
    make_claim(paragraph=paragraph(other, 2), quote="Israel struck", user=other_reviewer)
    client = csrf_client(reviewer)
    seen = []
    url = f"/articles/{seed_article.slug}/claims/list/?from=0"
    while url:
        html = client.get(url, headers={"HX-Request": "true"}).content.decode()
        seen += _listed(html)
        url = _more(html)
    assert sorted(seen) == sorted(c.pk for c in five_claims)
