"""A lead restores a deleted claim from the workspace."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from annotate import services
from annotate.tests.browser.conftest import log_in
from annotate.tests.factories import TEST_PASSWORD, make_citation, make_claim

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


def test_a_claim_deleted_in_the_page_shows_in_the_deleted_list_until_restored(
    page, seed_article, reviewer, lead
):
    paragraph = seed_article.revisions.get().paragraphs.get(position=6)
    make_claim(paragraph=paragraph, quote=PHRASE, user=reviewer, statement="Gone for a while")
    page.goto(f"/articles/{seed_article.slug}/")
    log_in(page, lead.username, TEST_PASSWORD)
    deleted = page.get_by_role("region", name="Deleted claims")
    expect(deleted).to_contain_text("None.")
    page.on("dialog", lambda dialog: dialog.accept())
    page.locator("#p6 mark.hl").click()

    page.get_by_role("button", name="Delete claim").click()

    expect(page.locator("#p6 mark.hl")).to_have_count(0)
    expect(deleted).to_contain_text("Gone for a while")
    expect(deleted).to_contain_text("deleted by lead")

    deleted.get_by_role("button", name="Restore claim Gone for a while").click()

    expect(page.locator("#panel .statement")).to_have_text("Gone for a while")
    expect(page.get_by_role("region", name="Deleted claims")).to_contain_text("None.")
    expect(page.get_by_role("region", name="Deleted claims")).not_to_contain_text(
        "Gone for a while"
    )


def test_a_lead_restores_a_deleted_citation_from_the_claim_panel(
    page, seed_article, reviewer, lead
):
    paragraph = seed_article.revisions.get().paragraphs.get(position=6)
    claim = make_claim(paragraph=paragraph, quote=PHRASE, user=reviewer)
    source = make_citation(claim=claim, user=reviewer, title="<i>Wire</i> report")
    services.citation_delete(citation=source, user=reviewer)
    page.goto(f"/articles/{seed_article.slug}/claims/{claim.pk}/")
    log_in(page, lead.username, TEST_PASSWORD)
    listed = page.get_by_role("region", name="Deleted citations and notes")
    expect(listed).to_contain_text("Citation of “<i>Wire</i> report”")
    expect(page.locator("#panel li.source")).to_have_count(0)

    listed.get_by_role("button", name="Restore Citation of “<i>Wire</i> report”").click()

    expect(page.locator(f"#citation-{source.pk}")).to_contain_text("<i>Wire</i> report")
    expect(page.get_by_role("region", name="Deleted citations and notes")).to_have_count(0)
