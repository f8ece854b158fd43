from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from annotate import services
from annotate.models import Likelihood, Verdict
from annotate.tests.factories import make_citation, make_claim, make_note
from annotate.tests.workspace_helpers import claim_url, csrf_client, paragraph, workspace_url

pytestmark = pytest.mark.django_db


def test_it_requires_login(client, seed_article):
    response = client.get(workspace_url(seed_article))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_it_highlights_nested_spans_as_segments(client, seed_article, reviewer):
    p5 = paragraph(seed_article, 5)
    make_claim(paragraph=p5, quote="The number of casualties is currently unknown.", user=reviewer)
    make_claim(paragraph=p5, quote="casualties", user=reviewer)
    client.force_login(reviewer)

    html = client.get(workspace_url(seed_article)).content.decode()

    p = re.search(r'<p id="p5".*?</p>', html, re.S).group(0)
    marks = re.findall(r"<mark[^>]*>(.*?)</mark>", p)
    assert marks == ["The number of ", "casualties", " is currently unknown."]
    assert 'data-count="2"' in p
    # The paragraph's text is intact once the tags are taken away.
    assert re.sub(r"<[^>]+>", "", p) == p5.text


def test_user_text_is_escaped(client, seed_article, reviewer):
    claim = make_claim(
        paragraph=paragraph(seed_article, 2),
        quote="Israel struck",
        statement="<img src=x onerror=alert(1)>",
        user=reviewer,
    )
    make_citation(claim=claim, user=reviewer, title="<script>alert(2)</script>")
    client.force_login(reviewer)

    page = client.get(workspace_url(seed_article)).content.decode()
    panel = client.get(claim_url(seed_article, claim)).content.decode()

    for html in (page, panel):
        assert "<img src=x" not in html
        assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<script>alert(2)" not in panel
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in panel


def test_a_disputed_claim_is_marked_disputed(client, seed_article, reviewer, other_reviewer):
    claim = make_claim(paragraph=paragraph(seed_article, 2), quote="Israel struck", user=reviewer)
    make_note(claim=claim, likelihood=Likelihood.LIKELY, user=reviewer)
    make_note(claim=claim, likelihood=Likelihood.VERY_UNLIKELY, user=other_reviewer)
    client.force_login(reviewer)

    html = client.get(workspace_url(seed_article)).content.decode()

    assert 'class="hl hl-disputed"' in html
    assert "<strong>1</strong> disputed" in html


def test_an_adjudicated_claim_shows_its_verdict(client, seed_article, reviewer, lead):
    claim = make_claim(paragraph=paragraph(seed_article, 2), quote="Israel struck", user=reviewer)
    services.claim_set_verdict(
        claim=claim, verdict=Verdict.MIXED, rationale="Both sides.", user=lead
    )
    client.force_login(reviewer)

    html = client.get(workspace_url(seed_article)).content.decode()

    assert 'class="hl hl-mixed"' in html


def test_filters_dim_what_they_leave_out(client, seed_article, reviewer):
    p2 = paragraph(seed_article, 2)
    make_claim(paragraph=p2, quote="Israel struck", user=reviewer, kind="factual")
    make_claim(paragraph=p2, quote="senior Hamas", user=reviewer, kind="opinion")
    client.force_login(reviewer)

    html = client.get(workspace_url(seed_article), {"kind": "opinion"}).content.decode()

    assert re.search(r'class="hl hl-open dimmed"[^>]*>Israel struck<', html)
    assert re.search(r'class="hl hl-open"[^>]*>senior Hamas<', html)
    assert "<strong>1</strong> match the filters" in html
    assert '<option value="opinion" selected>' in html


def test_the_text_search_and_source_filters(client, seed_article, reviewer):
    p2 = paragraph(seed_article, 2)
    sourced = make_claim(paragraph=p2, quote="Israel struck", user=reviewer)
    make_citation(claim=sourced, user=reviewer)
    make_claim(paragraph=p2, quote="senior Hamas", user=reviewer, statement="Officials met")
    client.force_login(reviewer)

    unsourced = client.get(workspace_url(seed_article), {"without_sources": "on"})
    searched = client.get(workspace_url(seed_article), {"q": "officials MET"})

    for response in (unsourced, searched):
        html = response.content.decode()
        assert re.search(r'class="hl hl-open dimmed"[^>]*>Israel struck<', html)
        assert re.search(r'class="hl hl-open"[^>]*>senior Hamas<', html)


def test_a_bad_filter_is_a_400_naming_it(client, seed_article, reviewer):
    client.force_login(reviewer)
    response = client.get(workspace_url(seed_article), {"verdict": "probably"})
    assert response.status_code == 400
    assert "verdict" in response.content.decode()


def test_htmx_filtering_answers_with_the_reading_area(client, seed_article, reviewer):
    client.force_login(reviewer)
    response = client.get(workspace_url(seed_article), {"disputed": "on"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="reading"')
    assert "<html" not in html
    assert "HX-Request" in response["Vary"]


def test_a_claim_opens_in_the_panel_with_and_without_htmx(client, seed_article, reviewer):
    claim = make_claim(paragraph=paragraph(seed_article, 2), quote="Israel struck", user=reviewer)
    client.force_login(reviewer)

    full = client.get(claim_url(seed_article, claim)).content.decode()
    part = client.get(claim_url(seed_article, claim), HTTP_HX_REQUEST="true").content.decode()

    assert "<html" in full
    assert f'data-claim-id="{claim.pk}"' in full
    assert part.lstrip().startswith('<section class="claim"')


def test_a_shared_point_offers_a_chooser(client, seed_article, reviewer):
    p5 = paragraph(seed_article, 5)
    make_claim(paragraph=p5, quote="The number of casualties", user=reviewer, statement="Outer")
    make_claim(paragraph=p5, quote="casualties", user=reviewer, statement="Inner")
    client.force_login(reviewer)

    response = client.get(f"/articles/{seed_article.slug}/at/5/15/", HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert "2 claims here" in html
    assert html.index("Outer") < html.index("Inner")


def test_the_article_list_counts_disputed_claims(client, seed_article, reviewer, other_reviewer):
    claim = make_claim(paragraph=paragraph(seed_article, 2), quote="Israel struck", user=reviewer)
    make_note(claim=claim, likelihood=7, user=reviewer)
    make_note(claim=claim, likelihood=1, user=other_reviewer)
    client.force_login(reviewer)

    html = client.get("/").content.decode()

    assert re.search(
        r'<td class="n">1</td>\s*<td class="n">0</td>\s*<td class="n">2</td>\s*'
        r'<td class="n">1</td>',
        html,
    )


def _claims(article, user, count):
    p = paragraph(article, 4)
    for i in range(count):
        start = (i * 7) % (len(p.text) - 40)
        end = start + 10 + i % 30
        services.claim_create_with_span(
            paragraph=p, start=start, end=end, quote=p.text[start:end], statement=f"c{i}", user=user
        )


def _queries_for(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("query", [{}, {"disputed": "on", "q": "c1"}])
def test_the_page_takes_the_same_number_of_queries_for_5_and_50_claims(
    seed_article, reviewer, other_reviewer, query
):
    client = csrf_client(reviewer)
    url = workspace_url(seed_article) + ("?disputed=on&q=c1" if query else "")
    _claims(seed_article, reviewer, 5)
    few = _queries_for(client, url)
    _claims(seed_article, other_reviewer, 45)
    many = _queries_for(client, url)
    assert few == many
    # Session, user, permissions (2), article, revision, live stamp, paragraphs, claims,
    # reviewers, and with filters the matching ids.
    assert many <= 11


def test_the_verdict_and_reviewer_filters(client, seed_article, reviewer, other_reviewer, lead):
    p2 = paragraph(seed_article, 2)
    mine = make_claim(paragraph=p2, quote="Israel struck", user=reviewer)
    theirs = make_claim(paragraph=p2, quote="senior Hamas", user=other_reviewer)
    services.claim_set_verdict(
        claim=theirs, verdict=Verdict.UNSUPPORTED, rationale="Denied.", user=lead
    )
    make_note(claim=theirs, likelihood=2, user=reviewer)
    client.force_login(reviewer)

    unsupported = client.get(workspace_url(seed_article), {"verdict": "unsupported"})
    open_ = client.get(workspace_url(seed_article), {"verdict": "none"})
    by_reviewer2 = client.get(workspace_url(seed_article), {"reviewer": "reviewer2"})
    by_reviewer1 = client.get(workspace_url(seed_article), {"reviewer": "reviewer1"})

    def shown(response):
        return {
            int(pk) for pk in re.findall(r'href="[^"]*/claims/(\d+)/', response.content.decode())
        }

    assert shown(unsupported) == {theirs.pk}
    assert shown(open_) == {mine.pk}
    assert shown(by_reviewer2) == {theirs.pk}
    assert shown(by_reviewer1) == {mine.pk, theirs.pk}  # made one, noted the other


def test_opening_a_claim_takes_the_same_queries_for_1_and_20_sources_and_notes(
    client, seed_article, reviewer, other_reviewer, lead
):
    claim = make_claim(paragraph=paragraph(seed_article, 2), quote="Israel struck", user=reviewer)
    client.force_login(reviewer)
    url = claim_url(seed_article, claim)
    make_citation(claim=claim, user=reviewer)
    make_note(claim=claim, likelihood=3, user=reviewer)
    few = _queries_for(client, url)
    for i in range(19):
        make_citation(claim=claim, user=other_reviewer if i % 2 else lead, title=f"S{i}")
    make_note(claim=claim, likelihood=6, user=other_reviewer)
    make_note(claim=claim, likelihood=5, user=lead)
    many = _queries_for(client, url)
    assert few == many


def test_j_and_k_step_over_the_start_of_each_span(client, seed_article, reviewer):
    p5 = paragraph(seed_article, 5)
    make_claim(paragraph=p5, quote="The number of casualties is currently unknown.", user=reviewer)
    make_claim(paragraph=p5, quote="casualties", user=reviewer)
    client.force_login(reviewer)

    html = client.get(workspace_url(seed_article)).content.decode()

    heads = re.findall(r"<mark [^>]*data-head[^>]*>(.*?)</mark>", html)
    assert heads == ["The number of ", "casualties"]


def test_every_link_and_form_in_an_open_claim_keeps_the_filters(seed_article, reviewer, lead):
    claim = make_claim(paragraph=paragraph(seed_article, 2), quote="Israel struck", user=lead)
    make_citation(claim=claim, user=lead)
    make_note(claim=claim, likelihood=Likelihood.LIKELY, user=lead)
    client = csrf_client(lead)
    query = {"kind": "factual", "q": "Israel"}

    panels = [
        client.get(claim_url(seed_article, claim), query, HTTP_HX_REQUEST="true"),
        client.get(claim_url(seed_article, claim) + "edit/", query, HTTP_HX_REQUEST="true"),
    ]

    claims_path = f"/articles/{seed_article.slug}/"
    for panel in panels:
        assert panel.status_code == 200
        urls = re.findall(
            r'(?:href|action|hx-get|hx-post|data-url)="([^"]+)"', panel.content.decode()
        )
        own = [url for url in urls if url.startswith(claims_path)]
        assert len(own) >= 6
        for url in own:
            assert "kind=factual&amp;q=Israel" in url, url


def test_the_highlights_and_rows_link_where_the_url_patterns_say(client, seed_article, reviewer):
    p5 = paragraph(seed_article, 5)
    outer = make_claim(
        paragraph=p5, quote="The number of casualties is currently unknown.", user=reviewer
    )
    inner = make_claim(paragraph=p5, quote="casualties", user=reviewer)
    client.force_login(reviewer)

    html = client.get(workspace_url(seed_article), {"kind": "factual"}).content.decode()

    slug = seed_article.slug
    start = p5.text.index("casualties")
    # The rows link to their claims.
    for pk in (outer.pk, inner.pk):
        url = reverse("annotate:claim", kwargs={"slug": slug, "pk": pk})
        assert f'"{url}?kind=factual"' in html, pk
    # The marks name their claim or where the shared segment starts; selection.js builds
    # `${base}claims/${claim}/` and `${base}at/${position}/${start}/` from the report's
    # data-base and data-query: the patterns annotate/urls.py has.
    base = reverse("annotate:workspace", kwargs={"slug": slug})
    assert f'data-base="{base}" data-query="kind=factual"' in html
    assert f'data-claim="{outer.pk}"' in html
    assert f'data-count="2" data-start="{start}"' in html
    assert f"{base}claims/{outer.pk}/" == reverse(
        "annotate:claim", kwargs={"slug": slug, "pk": outer.pk}
    )
    here = {"slug": slug, "position": 5, "offset": start}
    assert f"{base}at/5/{start}/" == reverse("annotate:claims_here", kwargs=here)
