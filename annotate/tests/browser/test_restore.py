"""A lead restores a deleted claim from the workspace."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from annotate import services
from annotate.tests.browser.conftest import log_in
from annotate.tests.factories import TEST_PASSWORD, make_claim

pytestmark = pytest.mark.django_db(transaction=True)

PHRASE = "specifically targeted the negotiation team"


def test_a_lead_restores_a_deleted_claim_and_its_history_says_so(
    page, seed_article, reviewer, lead
):
    paragraph = seed_article.revisions.get().paragraphs.get(position=6)
    claim = make_claim(paragraph=paragraph, quote=PHRASE, user=reviewer, statement="<i>kept</i>")
    services.claim_delete(claim=claim, user=reviewer)
    page.goto(f"/articles/{seed_article.slug}/")
    log_in(page, lead.username, TEST_PASSWORD)
    expect(page.locator("#p6 mark.hl")).to_have_count(0)
    deleted = page.get_by_role("region", name="Deleted claims")
    expect(deleted).to_contain_text("<i>kept</i>")
    expect(deleted).to_contain_text("deleted by reviewer1")

    deleted.get_by_role("button", name="Restore claim <i>kept</i>").click()

    expect(page.locator("#panel .statement")).to_have_text("<i>kept</i>")
    expect(page.locator("#p6 mark.hl")).to_have_count(1)
    expect(page.get_by_role("region", name="Deleted claims")).to_contain_text("None.")
    page.get_by_text("History").click()
    expect(page.locator("#panel .timeline li").first).to_contain_text("lead restored the")
