"""After a new revision: highlights move with their spans, a placement that needs review
is marked, and a lead re-attaches an orphan by selecting its new text."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from annotate.models import AnchorStatus, SpanAnchor
from annotate.tests.browser.conftest import log_in
from annotate.tests.browser.workspace_steps import drag_select
from annotate.tests.factories import TEST_PASSWORD
from annotate.tests.revised_seed import CASUALTIES, KILLED, claims_across_a_revision

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def revised(seed_article, reviewer):
    claims = claims_across_a_revision(seed_article, reviewer)
    return claims


def test_highlights_move_and_a_fuzzy_placement_is_marked(page, seed_article, revised, reviewer):
    page.goto(f"/articles/{seed_article.slug}/")
    log_in(page, reviewer.username, TEST_PASSWORD)

    expect(page.locator("#p4 mark.hl")).to_have_text("Loud explosions")
    fuzzy = page.locator("#p7 mark.hl")
    expect(fuzzy).to_have_text("The attack came just as Hamas")
    expect(fuzzy).to_have_class(re.compile(r"\bneeds-review\b"))
    expect(page.locator("#p3 mark.hl")).to_have_count(0)

    fuzzy.click()
    panel = page.locator("#panel")
    expect(panel.locator(".placement")).to_contain_text("Placement needs review")
    expect(panel.locator(".placement .quote.old")).to_have_text("The attack comes just as Hamas")
    expect(panel.get_by_role("button", name="Confirm placement")).to_have_count(0)


def test_a_lead_confirms_a_placement(page, seed_article, revised, lead):
    page.goto(f"/articles/{seed_article.slug}/")
    log_in(page, lead.username, TEST_PASSWORD)
    page.locator("#p7 mark.hl").click()

    page.locator("#panel").get_by_role("button", name="Confirm placement").click()

    expect(page.locator("#panel .placement")).not_to_contain_text("needs review")
    expect(page.locator("#p7 mark.hl")).not_to_have_class(re.compile(r"\bneeds-review\b"))
    assert not SpanAnchor.objects.get(span=revised["fuzzy"].span, revision__number=2).needs_review


def test_a_lead_reattaches_an_orphan_by_selecting_its_new_text(page, seed_article, revised, lead):
    page.goto(f"/articles/{seed_article.slug}/")
    log_in(page, lead.username, TEST_PASSWORD)
    orphan = page.locator(".orphans li.orphan")
    expect(orphan).to_have_count(1)
    expect(orphan.locator(".quote.old")).to_have_text(CASUALTIES)
    expect(orphan.locator(".orphan-claims")).to_contain_text(CASUALTIES)

    drag_select(page, "p6", KILLED)
    orphan.get_by_role("button", name="Re-attach to the selected text").click()

    expect(page.locator("#panel .statement")).to_have_text(CASUALTIES)
    expect(page.locator("#p6 mark.hl")).to_have_text(KILLED)
    expect(page.locator(".orphans")).to_be_hidden()
    anchor = SpanAnchor.objects.get(span=revised["orphan"].span, revision__number=2)
    assert (anchor.status, anchor.quote) == (AnchorStatus.REATTACHED, KILLED)


def test_an_old_revision_reads_with_its_own_highlights(page, seed_article, revised, reviewer):
    page.goto(f"/articles/{seed_article.slug}/")
    log_in(page, reviewer.username, TEST_PASSWORD)

    page.get_by_role("navigation", name="Revisions").get_by_role("link", name="1").click()

    expect(page.locator(".notice.read-only")).to_contain_text("revision 1")
    expect(page.locator("#p5 mark.hl")).to_have_text(CASUALTIES)
    page.locator("#p5 mark.hl").click()
    expect(page.locator("#panel .statement")).to_have_text(CASUALTIES)
    expect(page.locator("#panel form")).to_have_count(0)
