"""A claim, its source, a note and a verdict full of hostile text, opened in Chromium:
no script runs (no dialog, no CSP violation), the text shows literally, and a
right-to-left override inside user text does not reorder the interface around it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from annotate import services
from annotate.sources import normalise_url
from annotate.tests.browser.conftest import log_in
from annotate.tests.browser.test_content_security_policy import LISTEN, violations
from annotate.tests.factories import TEST_PASSWORD, make_citation, make_claim, make_note
from annotate.tests.hostile_text import MARKUP, MARKUP_URL, RTL_OVERRIDE, UNICODE

pytestmark = pytest.mark.django_db(transaction=True)

STATEMENT = f"{MARKUP['script']} {MARKUP['attribute_breakout']}"
EXCERPT = f"{UNICODE['combining']} {UNICODE['emoji_zwj']} {MARKUP['single_quote_breakout']}"
NOTE = f"{UNICODE['arabic']} {MARKUP['attribute_breakout']}"
# Elements that hold user text next to interface text: each must be a bidi isolate.
USER_TEXT = [".statement", ".facts div:nth-child(2) dd", ".rationale", ".notes p", ".excerpt",
             ".source .title bdi", ".source .meta bdi", ".quote bdi"]  # fmt: skip
BIDI = "(selector) => getComputedStyle(document.querySelector(selector)).unicodeBidi"
# Where the publisher (user text) and the reliability after it (interface) are drawn.
META_BOXES = """() => {
  const meta = document.querySelector(".source .meta");
  const box = (el) => el.getBoundingClientRect();
  return {publisher: box(meta.querySelector("bdi")), reliability: box(meta.querySelector("abbr"))};
}"""


@pytest.fixture
def hostile_claim(seed_article, reviewer, other_reviewer, lead):
    paragraph = seed_article.revisions.get().paragraphs.get(position=2)
    claim = make_claim(paragraph=paragraph, quote=paragraph.text.split(".")[0], user=reviewer)
    services.claim_update(
        claim=claim, user=reviewer, statement=STATEMENT, attributed_to=RTL_OVERRIDE
    )
    make_citation(
        claim=claim, user=reviewer, url=MARKUP_URL, title=MARKUP["single_quote_breakout"],
        publisher=RTL_OVERRIDE, excerpt=EXCERPT,
    )  # fmt: skip
    make_note(claim=claim, likelihood=2, rationale=NOTE, user=other_reviewer)
    services.claim_set_verdict(claim=claim, verdict="mixed", rationale=MARKUP["script"], user=lead)
    return claim


def test_hostile_text_shows_literally_runs_nothing_and_stays_isolated(
    page, seed_article, hostile_claim, lead
):
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.add_init_script(LISTEN)
    page.goto(f"/articles/{seed_article.slug}/claims/{hostile_claim.pk}/")
    log_in(page, lead.username, TEST_PASSWORD)
    page.wait_for_load_state("networkidle")

    panel = page.locator("#panel")
    expect(panel.locator(".statement")).to_have_text(STATEMENT)
    expect(panel.locator(".facts div", has_text="Attributed to").locator("dd")).to_have_text(
        RTL_OVERRIDE
    )
    expect(panel.locator(".source .title")).to_have_text(MARKUP["single_quote_breakout"])
    # Stored normalised (annotate.sources): the markup percent-encoded, never markup.
    expect(panel.locator(".source .title")).to_have_attribute("href", normalise_url(MARKUP_URL))
    expect(panel.locator(".excerpt")).to_have_text(EXCERPT)
    expect(panel.locator(".notes p")).to_have_text(NOTE)
    expect(panel.locator(".rationale")).to_have_text(MARKUP["script"])
    assert page.locator("img[src='x'], svg[onload], #panel script").count() == 0
    assert dialogs == []
    assert violations(page) == []
    assert {selector: page.evaluate(BIDI, selector) for selector in USER_TEXT} == {
        selector: "isolate" if selector.endswith("bdi") else "plaintext" for selector in USER_TEXT
    }
    boxes = page.evaluate(META_BOXES)
    assert boxes["reliability"]["left"] >= boxes["publisher"]["right"] - 1
