"""Two reviewers at once: one's new claim appears on the other's open page, whose form
being typed into is left alone; changes to claims carried into a new revision arrive too."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from annotate import services
from annotate.models import Verdict
from annotate.tests.browser.conftest import log_in
from annotate.tests.factories import TEST_PASSWORD, make_citation, make_claim
from annotate.tests.revised_seed import claims_across_a_revision

pytestmark = pytest.mark.django_db(transaction=True)


def test_another_reviewers_claim_appears_without_disturbing_my_form(
    browser, live_server, seed_article, reviewer, other_reviewer
):
    paragraphs = {p.position: p for p in seed_article.revisions.get().paragraphs.all()}
    make_claim(
        paragraph=paragraphs[6], quote="specifically targeted the negotiation team", user=reviewer
    )
    contexts = [browser.new_context(base_url=live_server.url) for _ in range(2)]
    try:
        mine, theirs = (context.new_page() for context in contexts)
        for page, user in ((mine, reviewer), (theirs, other_reviewer)):
            page.goto(f"/articles/{seed_article.slug}/")
            log_in(page, user.username, TEST_PASSWORD)
        mine.locator("#p6 mark.hl").click()
        rationale = mine.get_by_label("Why (my rationale)")
        rationale.click()
        expect(rationale).to_be_focused()
        rationale.press_sequentially("Half written")
        expect(mine.locator("#p2 mark.hl")).to_have_count(0)

        make_claim(paragraph=paragraphs[2], quote="Israel struck", user=other_reviewer)

        expect(mine.locator("#p2 mark.hl")).to_have_count(1, timeout=8_000)
        expect(mine.locator("#counters")).to_contain_text("2 claims")
        expect(rationale).to_have_value("Half written")
        expect(rationale).to_be_focused()
        # The other page hears of it too, however it learnt: one highlight, not two.
        expect(theirs.locator("#p2 mark.hl")).to_have_count(1, timeout=8_000)
    finally:
        for context in contexts:
            context.close()


def test_an_open_claim_refreshes_when_nobody_is_typing_in_it(
    browser, live_server, seed_article, reviewer, other_reviewer
):
    paragraph = seed_article.revisions.get().paragraphs.get(position=6)
    claim = make_claim(
        paragraph=paragraph, quote="specifically targeted the negotiation team", user=reviewer
    )
    context = browser.new_context(base_url=live_server.url)
    try:
        page = context.new_page()
        page.goto(f"/articles/{seed_article.slug}/")
        log_in(page, reviewer.username, TEST_PASSWORD)
        page.locator("#p6 mark.hl").click()
        expect(page.locator("#panel .statement")).to_be_visible()

        make_citation(claim=claim, user=other_reviewer, title="A wire report from elsewhere")

        expect(page.locator("#panel")).to_contain_text(
            "A wire report from elsewhere", timeout=8_000
        )
        expect(page.locator("#panel .statement")).to_be_visible()
    finally:
        context.close()


def test_a_refused_form_outlives_a_live_update_after_focus_leaves_it(
    browser, live_server, seed_article, reviewer, other_reviewer
):
    """A refused note (its error beside the field, what was typed kept) is work in
    progress even when the reader clicks elsewhere: a live update must not refresh it
    away, nor move the focus."""
    paragraph = seed_article.revisions.get().paragraphs.get(position=6)
    claim = make_claim(
        paragraph=paragraph, quote="specifically targeted the negotiation team", user=reviewer
    )
    context = browser.new_context(base_url=live_server.url)
    try:
        page = context.new_page()
        page.goto(f"/articles/{seed_article.slug}/")
        log_in(page, reviewer.username, TEST_PASSWORD)
        page.locator("#p6 mark.hl").click()
        page.get_by_label("Why (my rationale)").fill("Half written, no likelihood")
        page.locator("#panel").get_by_role("button", name="Save my note").click()
        error = page.locator("#panel .invalid .error, #panel [id$='_error']").first
        expect(error).to_be_visible()
        page.locator("h1").click()  # focus leaves the form; the form is not dirty now
        expect(page.get_by_label("Why (my rationale)")).not_to_be_focused()

        with page.expect_response(lambda r: "/live/" in r.url and r.status == 200):
            make_citation(claim=claim, user=other_reviewer, title="A wire report from elsewhere")
        # A refresh, had one been asked for, is on its way before the next poll returns.
        with page.expect_response(lambda r: "/live/" in r.url):
            pass

        expect(error).to_be_visible()
        expect(page.get_by_label("Why (my rationale)")).to_have_value("Half written, no likelihood")
        expect(page.locator("#panel")).not_to_contain_text("A wire report from elsewhere")
    finally:
        context.close()


def test_a_change_to_a_claim_carried_into_a_new_revision_reaches_an_open_page(
    page, seed_article, reviewer, lead
):
    revised = claims_across_a_revision(seed_article, reviewer)
    page.goto(f"/articles/{seed_article.slug}/")
    log_in(page, reviewer.username, TEST_PASSWORD)
    claims = page.locator("#claim-list")
    expect(claims).to_contain_text("Loud explosions")
    expect(page.locator("#counters")).to_contain_text("0 adjudicated")

    services.claim_update(claim=revised["moved"], user=lead, statement="Blasts were heard")
    services.claim_set_verdict(
        claim=revised["moved"], verdict=Verdict.SUPPORTED, rationale="Wire video", user=lead
    )

    expect(claims).to_contain_text("Blasts were heard", timeout=8_000)
    expect(page.locator("#counters")).to_contain_text("1 adjudicated")
