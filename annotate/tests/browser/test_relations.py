"""Linking two claims from the claim panel in a real browser: by search, and by picking
the other claim's highlight in the text; the link then shows on both claims, and the
Contradictions page lists the pair (axe stays clean on the new screens)."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from annotate.models import ClaimRelation
from annotate.tests.browser.workspace_steps import open_workspace, serious_violations
from annotate.tests.relation_helpers import CONFLICTING, NOT_KILLED, UNKNOWN, seed_claims

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def pair(seed_article, reviewer):
    a, b, _ = seed_claims(seed_article, reviewer, NOT_KILLED, CONFLICTING, UNKNOWN)
    return a, b


def _open(page, phrase: str) -> None:
    page.locator("#p5 mark.hl", has_text=phrase).click()
    expect(page.locator("#panel .statement")).to_have_text(phrase)


def _link_form(page):
    panel = page.locator("#panel")
    panel.get_by_text("Link to another claim").click()
    return panel


def test_a_reviewer_links_two_claims_found_by_search(page, seed_article, pair, reviewer):
    _a, _b = pair
    open_workspace(page, seed_article, reviewer)
    _open(page, NOT_KILLED)
    panel = _link_form(page)
    panel.get_by_label("This claim").select_option(label="Contradicts")
    picker = panel.get_by_label("Other claim", exact=True)
    expect(picker.locator("option")).to_have_count(3)  # "Choose a claim…" and both others
    panel.get_by_label("Find the other claim").fill("Saudi")
    expect(picker.locator("option")).to_have_count(2)  # "Choose a claim…" and the match
    picker.select_option(label=CONFLICTING)
    panel.get_by_label("Why (optional)").fill("Killed or not killed")
    assert serious_violations(Axe().run(page)) == []
    panel.get_by_role("button", name="Link", exact=True).click()

    link = panel.locator(".link-list li")
    expect(link).to_contain_text("Contradicts:")
    expect(link).to_contain_text(CONFLICTING)
    link.get_by_role("link", name=CONFLICTING).click()
    expect(page.locator("#panel .statement")).to_have_text(CONFLICTING)
    expect(page.locator("#panel .link-list li")).to_contain_text(f"Contradicts: {NOT_KILLED}")
    relation = ClaimRelation.objects.get()
    assert (relation.type, relation.rationale) == ("contradicts", "Killed or not killed")

    page.goto(f"/articles/{seed_article.slug}/contradictions/")
    expect(page.locator("li.pair")).to_have_count(1)
    # Side by side on a desktop screen: one row, the second claim to the right of the first.
    first, second = (side.bounding_box() for side in page.locator("li.pair .side").all())
    assert abs(first["y"] - second["y"]) < 1
    assert second["x"] >= first["x"] + first["width"]
    assert serious_violations(Axe().run(page)) == []


def test_a_reviewer_picks_the_other_claim_in_the_text(page, seed_article, pair, reviewer):
    _a, b = pair
    open_workspace(page, seed_article, reviewer)
    _open(page, NOT_KILLED)
    panel = _link_form(page)
    panel.get_by_label("This claim").select_option(label="Is the same claim as")
    panel.get_by_role("button", name="Pick it in the text").click()
    page.locator("#p5 mark.hl", has_text=CONFLICTING).click()

    picker = panel.get_by_label("Other claim", exact=True)
    expect(picker).to_have_value(str(b.pk))
    expect(picker).to_be_focused()
    expect(page.locator("#panel .statement")).to_have_text(NOT_KILLED)  # still this claim
    panel.get_by_role("button", name="Link", exact=True).click()
    expect(panel.locator(".link-list li")).to_contain_text(f"Same claim as: {CONFLICTING}")
    assert ClaimRelation.objects.get().type == "same_as"


def test_the_other_claim_is_picked_with_the_keyboard_too(page, seed_article, pair, reviewer):
    _a, b = pair
    open_workspace(page, seed_article, reviewer)
    _open(page, NOT_KILLED)
    panel = _link_form(page)
    panel.get_by_role("button", name="Pick it in the text").click()
    expect(page.locator("#flash")).to_contain_text("press Enter")
    for _ in range(5):  # j steps through the highlights, in reading order
        page.keyboard.press("j")
        if page.evaluate("document.activeElement.textContent") == CONFLICTING:
            break
    page.keyboard.press("Enter")

    picker = panel.get_by_label("Other claim", exact=True)
    expect(picker).to_have_value(str(b.pk))
    expect(page.locator("#panel .statement")).to_have_text(NOT_KILLED)


def test_picking_works_when_the_claims_list_is_replaced_after_pick_was_pressed(
    page, seed_article, pair, reviewer
):
    """The list of claims is replaced when it loads on opening the form and on each search;
    a reader who pressed "Pick it in the text" first must still have the highlight they
    click chosen (the picker is found when they click, not remembered from before)."""
    _a, b = pair
    open_workspace(page, seed_article, reviewer)
    _open(page, NOT_KILLED)
    panel = _link_form(page)
    picker = panel.get_by_label("Other claim", exact=True)
    panel.get_by_role("button", name="Pick it in the text").click()
    expect(page.locator("#flash")).to_contain_text("Click the other claim's highlight")
    with page.expect_response("**/links/search/**"):
        panel.get_by_label("Find the other claim").fill("Saudi")

    page.locator("#p5 mark.hl", has_text=CONFLICTING).click()

    expect(picker).to_have_value(str(b.pk))
    expect(picker).to_be_focused()
