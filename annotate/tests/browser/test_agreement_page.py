"""The agreement page in a real browser: reached from the workspace's link, it shows the
figures annotate.agreement computes, and only to those who may see everyone's notes
(annotate.access.may_see_agreement)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from annotate.agreement import article_agreement
from annotate.models import Likelihood
from annotate.tests.browser.workspace_steps import open_workspace
from annotate.tests.factories import make_claim, make_note
from annotate.tests.workspace_helpers import paragraph

pytestmark = pytest.mark.django_db(transaction=True)

LINK = "Agreement between reviewers"
L = Likelihood


@pytest.fixture
def judged(seed_article, reviewer, other_reviewer, lead):
    """Three claims in reading order: one calm, one hotly disputed, one mildly disputed
    that the lead left alone."""
    quotes = {2: "Israel struck", 3: "Loud explosions", 6: "specifically targeted the negotiation"}
    calm, hot, mild = (
        make_claim(paragraph=paragraph(seed_article, position), quote=quote, user=reviewer)
        for position, quote in quotes.items()
    )
    judgements = {
        reviewer: (L.LIKELY, L.ALMOST_NO_CHANCE, L.UNLIKELY),
        other_reviewer: (L.VERY_LIKELY, L.ALMOST_CERTAIN, L.LIKELY),
        lead: (L.LIKELY, L.ROUGHLY_EVEN, None),
    }
    for user, likelihoods in judgements.items():
        for claim, likelihood in zip((calm, hot, mild), likelihoods, strict=True):
            if likelihood is not None:
                make_note(claim=claim, likelihood=likelihood, user=user)
    return calm, hot, mild


def test_a_lead_follows_the_link_and_reads_the_figures_then_opens_a_claim(
    page, seed_article, judged, lead
):
    calm, hot, mild = judged
    expected = article_agreement(seed_article)
    assert [row.claim for row in expected.claims] == [hot, mild, calm]
    open_workspace(page, seed_article, lead)

    page.get_by_role("link", name=LINK).click()

    expect(page).to_have_url(re.compile(rf"/articles/{seed_article.slug}/agreement/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(LINK)
    expect(page.locator("#alpha-ordinal strong")).to_have_text(f"{expected.ordinal.value:.3f}")
    for metric in ("ordinal", "nominal", "interval"):
        value = getattr(expected, metric).value
        expect(page.locator(f"#alpha-{metric}-value")).to_have_text(f"{value:.3f}")
    expect(page.locator("#pairable")).to_have_text("8")
    expect(page.locator("table.reviewers tbody td")).to_have_text(
        ["reviewer1", "3", "reviewer2", "3", "lead", "2"]
    )
    rows = page.locator("table.agreement-claims tbody tr")
    expect(rows.locator("td:first-child")).to_have_text(
        ["Loud explosions", "specifically targeted the negotiation", "Israel struck"]
    )
    expect(rows.locator("td:nth-child(3)")).to_have_text(["1–7", "3–5", "5–6"])
    expect(rows.locator("td:nth-child(4)")).to_have_text(["Disputed", "Disputed", ""])

    rows.first.get_by_role("link").click()

    expect(page).to_have_url(re.compile(rf"/claims/{hot.pk}/\?revision=1$"))
    expect(page.locator("#panel .statement")).to_have_text("Loud explosions")
    expect(page.locator("#p3 mark.hl")).to_have_class(re.compile(r"\bhl-disputed\b"))


def test_a_reviewer_under_independent_review_has_no_link_and_is_refused(
    page, seed_article, judged, reviewer
):
    url = f"/articles/{seed_article.slug}/agreement/"
    open_workspace(page, seed_article, reviewer)
    expect(page.locator(".crumbs")).to_contain_text("Reports")
    expect(page.get_by_role("link", name=LINK)).to_have_count(0)
    page.goto("/")
    expect(page.get_by_role("link", name=seed_article.title, exact=True)).to_be_visible()
    expect(page.locator(f'a[href="{url}"]')).to_have_count(0)

    refused = page.goto(url)

    assert refused.status == 403
    expect(page.locator("#alpha-ordinal")).to_have_count(0)


def test_a_reviewer_sees_it_once_independent_review_is_off(page, seed_article, judged, reviewer):
    seed_article.independent_review = False
    seed_article.save()
    expected = article_agreement(seed_article)
    open_workspace(page, seed_article, reviewer)

    page.get_by_role("link", name=LINK).click()

    expect(page.locator("#alpha-ordinal-value")).to_have_text(f"{expected.ordinal.value:.3f}")
    expect(page.locator("#pairable")).to_have_text("8")
