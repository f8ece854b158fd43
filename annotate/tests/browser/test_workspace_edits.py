"""Editing in the panel: errors beside their fields, stale edits, a lead's verdict."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from annotate import services
from annotate.models import Citation, Claim, Source, Verdict
from annotate.tests.browser.conftest import log_in
from annotate.tests.factories import TEST_PASSWORD, make_citation, make_claim

pytestmark = pytest.mark.django_db(transaction=True)

PHRASE = "specifically targeted the negotiation team"


@pytest.fixture
def claim(seed_article, reviewer):
    paragraph = seed_article.revisions.get().paragraphs.get(position=6)
    return make_claim(paragraph=paragraph, quote=PHRASE, user=reviewer)


def _open_claim(page, article, user):
    page.goto(f"/articles/{article.slug}/")
    log_in(page, user.username, TEST_PASSWORD)
    page.locator("#p6 mark.hl").click()
    expect(page.locator("#panel .statement")).to_be_visible()


def test_an_error_shows_beside_its_field_and_keeps_what_was_typed(
    page, seed_article, reviewer, claim
):
    _open_claim(page, seed_article, reviewer)
    panel = page.locator("#panel")
    panel.get_by_text("Cite a source").click()
    panel.get_by_text("Or record a new source").click()
    panel.get_by_label("URL").fill("not a web address")
    panel.get_by_label("Title").fill("A title worth keeping")
    panel.get_by_label("Gives context").check()
    panel.get_by_role("button", name="Add citation").click()

    expect(panel.locator("#citation_url_error")).to_have_text("Enter a valid URL.")
    expect(panel.get_by_label("Title")).to_have_value("A title worth keeping")
    expect(panel.get_by_label("URL")).to_be_focused()
    expect(panel.get_by_label("Gives context")).to_be_checked()


def test_a_stale_edit_says_so_and_shows_the_current_version(page, seed_article, reviewer, claim):
    _open_claim(page, seed_article, reviewer)
    page.get_by_role("link", name="Edit claim").click()
    statement = page.get_by_label("Statement")
    expect(statement).to_be_focused()
    services.claim_update(claim=claim, user=reviewer, statement="Changed in another tab")

    statement.fill("My edit")
    page.get_by_role("button", name="Save changes").click()

    expect(page.get_by_role("alert")).to_contain_text("Someone changed this claim")
    expect(page.locator("#panel .statement")).to_have_text("Changed in another tab")
    claim.refresh_from_db()
    assert claim.statement == "Changed in another tab"


def test_a_lead_sets_a_verdict_and_the_highlight_shows_it(page, seed_article, lead, claim):
    _open_claim(page, seed_article, lead)
    panel = page.locator("#panel")
    panel.get_by_label("Your verdict").select_option("supported")
    panel.get_by_label("Why (the verdict's rationale)").fill("Two independent sources.")
    panel.get_by_role("button", name="Save verdict").click()

    expect(page.locator("#p6 mark.hl")).to_have_class(re.compile(r"\bhl-supported\b"))
    expect(panel.locator(".verdict .rationale")).to_have_text("Two independent sources.")
    expect(page.locator("#counters")).to_contain_text("1 adjudicated")
    assert Claim.objects.get().verdict == Verdict.SUPPORTED


def test_the_author_edits_and_deletes_a_citation(page, seed_article, reviewer, claim):
    make_citation(claim=claim, user=reviewer, title="Early wire report", stance="supports")
    page.on("dialog", lambda dialog: dialog.accept())
    _open_claim(page, seed_article, reviewer)
    panel = page.locator("#panel")
    expect(panel.locator("h4.stance-supports")).to_have_text("Supports")

    panel.get_by_role("link", name="Edit citation of Early wire report").click()
    editing = panel.locator("li.source form")
    # Focus lands on the form's first field once the panel has settled; typing earlier
    # would race the script that moves focus there.
    expect(editing.get_by_label("Excerpt")).to_be_focused()
    editing.get_by_label("Excerpt").fill("Corrected since.")
    editing.get_by_label("Refutes").check()
    editing.get_by_role("button", name="Save citation").click()

    expect(panel.locator("h4.stance-refutes")).to_have_text("Refutes")
    expect(panel.locator("li.source .excerpt")).to_have_text("Corrected since.")
    panel.get_by_role("button", name="Delete citation of Early wire report").click()
    expect(panel.get_by_text("No sources yet.")).to_be_visible()
    assert not Citation.objects.exists()


def test_a_reviewer_cites_a_recorded_source_found_by_the_search(
    page, seed_article, reviewer, other_reviewer, claim
):
    """The same outlet is not typed twice: two letters of it find the recorded source, shown
    with its reliability, and picking it cites it."""
    other = make_claim(
        paragraph=seed_article.revisions.get().paragraphs.get(position=2),
        quote="Israel struck",
        user=other_reviewer,
    )
    recorded = make_citation(
        claim=other, user=other_reviewer, title="Strike on Doha", publisher="Reuters",
        reliability="C",
    ).source  # fmt: skip
    _open_claim(page, seed_article, reviewer)
    panel = page.locator("#panel")
    panel.get_by_text("Cite a source").click()

    panel.get_by_label("Search recorded sources").press_sequentially("re")

    match = panel.get_by_role("radio", name=re.compile("Strike on Doha"))
    expect(match).to_be_visible()
    expect(panel.locator(".source-match")).to_contain_text("Reliability C")
    match.check()
    panel.get_by_label("Refutes").check()
    panel.get_by_label("Information credibility").select_option("4")
    panel.get_by_role("button", name="Add citation").click()

    expect(panel.locator("li.source .title")).to_have_text("Strike on Doha")
    expect(panel.locator("li.source .meta")).to_contain_text("Reliability C")
    citation = Citation.objects.get(claim=claim)
    assert (citation.source, citation.stance, citation.credibility) == (recorded, "refutes", 4)
    assert Source.objects.count() == 1
