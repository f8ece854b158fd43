"""The workspace as people see it: an accessibility check and the README screenshot."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from annotate import services
from annotate.models import Likelihood, Verdict
from annotate.tests.browser.conftest import log_in
from annotate.tests.browser.workspace_steps import drag_select, serious_violations
from annotate.tests.factories import TEST_PASSWORD, make_citation, make_claim, make_note

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def annotated(seed_article, reviewer, other_reviewer, lead):
    """The seed report with claims in every state, nested and overlapping."""
    paragraphs = {p.position: p for p in seed_article.revisions.get().paragraphs.all()}
    strike = make_claim(
        paragraph=paragraphs[2],
        quote="Israel struck the capital of Qatar on Tuesday",
        statement="Israel struck Doha on Tuesday 9 September 2025",
        user=reviewer,
    )
    make_citation(claim=strike, user=reviewer, title="Qatar's foreign ministry statement")
    services.claim_set_verdict(
        claim=strike, verdict=Verdict.SUPPORTED, rationale="Checked.", user=lead
    )
    outer = make_claim(
        paragraph=paragraphs[5],
        quote="A senior Hamas source told Al Jazeera that Khalil al-Hayya, the leader of "
        "Hamas’s negotiating team, was not killed in the strike",
        statement="Khalil al-Hayya survived the strike",
        kind="attribution",
        user=reviewer,
    )
    make_note(claim=outer, likelihood=Likelihood.LIKELY, user=reviewer)
    make_note(claim=outer, likelihood=Likelihood.VERY_UNLIKELY, user=other_reviewer)
    make_claim(
        paragraph=paragraphs[5],
        quote="Khalil al-Hayya, the leader of Hamas’s negotiating team",
        statement="Khalil al-Hayya leads Hamas's negotiating team",
        user=other_reviewer,
    )
    first_time = make_claim(
        paragraph=paragraphs[7],
        quote="This is the first known time that Israel has struck Qatar",
        statement="Israel had never struck Qatar before",
        user=other_reviewer,
    )
    services.claim_set_verdict(
        claim=first_time, verdict=Verdict.MOSTLY_SUPPORTED, rationale="Checked.", user=lead
    )
    make_claim(
        paragraph=paragraphs[7],
        quote="Israel has struck at least five Arab countries",
        statement="Israel struck five Arab countries in a month",
        user=reviewer,
    )
    genocide = make_claim(
        paragraph=paragraphs[10],
        quote="Israel has been known to sabotage ceasefire deals",
        kind="characterization",
        user=reviewer,
    )
    services.claim_set_verdict(
        claim=genocide, verdict=Verdict.MIXED, rationale="Checked.", user=lead
    )
    return outer


def _open(page, article, user):
    page.goto(f"/articles/{article.slug}/")
    log_in(page, user.username, TEST_PASSWORD)


def test_the_workspace_passes_axe(page, seed_article, annotated, reviewer):
    axe = Axe()
    _open(page, seed_article, reviewer)
    assert serious_violations(axe.run(page)) == []

    page.locator("#p5 mark.hl[data-count]").first.click()
    expect(page.get_by_role("heading", name="2 claims here")).to_be_visible()
    page.get_by_role("link", name="Khalil al-Hayya survived").click()
    expect(page.locator("#panel .statement")).to_be_visible()
    assert serious_violations(axe.run(page)) == []

    drag_select(page, "p3", "Loud explosions were heard")
    page.get_by_role("button", name="Add claim").click()
    page.get_by_label("Statement").fill("")
    page.get_by_role("button", name="Save claim").click()
    expect(page.locator(".field-error")).to_be_visible()
    assert serious_violations(axe.run(page)) == []


def test_a_screenshot_of_the_annotated_workspace(
    page, seed_article, annotated, reviewer, artifacts
):
    _open(page, seed_article, reviewer)
    page.locator("#p5 mark.hl").first.click()
    expect(page.locator("#panel .statement")).to_have_text("Khalil al-Hayya survived the strike")
    # Scroll the title away: the sticky filter bar and panel stay, more of the report shows.
    page.evaluate("window.scrollTo(0, document.getElementById('p2').offsetTop - 110)")
    page.mouse.move(0, 0)
    page.screenshot(path=artifacts / "workspace.png")


def test_on_a_phone_the_open_claim_is_a_sheet(
    browser, live_server, seed_article, annotated, reviewer, artifacts
):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 390, "height": 844}, is_mobile=True
    )
    page = context.new_page()
    _open(page, seed_article, reviewer)
    page.locator("#p5 mark.hl").first.click()
    panel = page.locator("#panel")
    expect(panel).to_have_class("panel panel-open")
    box = panel.bounding_box()
    assert box["y"] + box["height"] == pytest.approx(844, abs=2)
    page.screenshot(path=artifacts / "workspace-phone.png")
    context.close()


def test_the_login_page_and_the_article_list_pass_axe(page, seed_article, annotated, reviewer):
    axe = Axe()
    page.goto("/accounts/login/")
    assert serious_violations(axe.run(page)) == []
    log_in(page, reviewer.username, TEST_PASSWORD)
    expect(page.get_by_role("heading", name="Reports under review")).to_be_visible()
    expect(page.locator("table.articles tbody td.n").last).to_have_text("1")  # disputed
    assert serious_violations(axe.run(page)) == []
