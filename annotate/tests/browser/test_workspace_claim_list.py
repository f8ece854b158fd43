"""The claims list loads its next rows as it is scrolled to, and they open like the first."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from annotate.tests.browser.workspace_steps import open_workspace
from annotate.tests.factories import make_claim
from annotate.views import workspace as workspace_views

pytestmark = pytest.mark.django_db(transaction=True)

QUOTES = [
    "Israel struck",
    "senior Hamas political officials",
    "the capital of Qatar",
    "on Tuesday",
    "the latest ceasefire proposal",
]


@pytest.fixture
def five_claims(seed_article, reviewer, monkeypatch):
    monkeypatch.setattr(workspace_views, "LIST_PAGE", 2)  # the live server shares the module
    p2 = seed_article.revisions.get().paragraphs.get(position=2)
    return [make_claim(paragraph=p2, quote=q, user=reviewer, statement=f"S {q}") for q in QUOTES]


def test_scrolling_the_list_loads_every_claim_in_reading_order(
    page, seed_article, reviewer, five_claims
):
    open_workspace(page, seed_article, reviewer)
    rows = page.locator("#claim-list li:not(.more)")
    # The page brings two rows (test_workspace_claim_list.py); each "More claims" row, in
    # view in a list this short, is revealed in turn and loads the next until the end.
    expect(rows).to_have_count(5)
    expect(page.locator("#claim-list li.more")).to_have_count(0)
    starts = sorted(five_claims, key=lambda c: c.span.start)
    expect(rows.locator(".text")).to_have_text([c.statement for c in starts])
    rows.nth(4).locator("a").click()
    expect(page.locator("#panel section.claim")).to_have_attribute(
        "data-claim-id", str(starts[4].pk)
    )
