"""Independent review in a real browser: a reviewer judges a claim before seeing how
others judged it (annotate.access.sees_notes_of), and nothing on the page gives the others'
notes away until then, not the highlight, the counters, the filters nor a live update."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from annotate.models import Likelihood
from annotate.tests.browser.workspace_steps import (
    another_page,
    open_claim,
    open_workspace,
    record_note,
)
from annotate.tests.factories import make_claim, make_note
from annotate.tests.workspace_helpers import paragraph

pytestmark = pytest.mark.django_db(transaction=True)

# Reviewer A's rationale; its words must not reach reviewer B's page before B's own note.
A_RATIONALE = "Qatari ministry denial outweighs the wires"
LEAD_RATIONALE = "Footage geolocated by two desks"
DISPUTED = re.compile(r"\bhl-disputed\b")


@pytest.fixture
def claim(seed_article, lead):
    """A claim the lead made and judged very likely; A's "very unlikely" will dispute it."""
    claim = make_claim(paragraph=paragraph(seed_article, 2), quote="Israel struck", user=lead)
    make_note(claim=claim, likelihood=Likelihood.VERY_LIKELY, rationale=LEAD_RATIONALE, user=lead)
    return claim


def _a_notes_it(claim, reviewer) -> None:
    make_note(
        claim=claim, likelihood=Likelihood.VERY_UNLIKELY, rationale=A_RATIONALE, user=reviewer
    )


def _sees_no_other_notes(page) -> None:
    panel = page.locator("#panel")
    expect(panel.locator(".independent")).to_contain_text("record your own note")
    expect(panel.locator(".notes")).to_have_count(0)
    expect(panel.locator(".strip")).to_have_count(0)
    expect(panel.locator(".disputed-note")).to_have_count(0)
    expect(panel.locator(".timeline")).not_to_contain_text("reviewer1")
    expect(page.locator("#p2 mark.hl")).to_have_class(re.compile(r"\bhl-open\b"))
    expect(page.locator("#p2 mark.hl")).not_to_have_class(DISPUTED)
    expect(page.locator("#counters")).to_contain_text("0 disputed")
    html = page.content()
    assert A_RATIONALE not in html
    assert LEAD_RATIONALE not in html


def _sees_everyones_notes(page, *, others: int) -> None:
    panel = page.locator("#panel")
    expect(panel.locator(".independent")).to_have_count(0)
    expect(panel.locator(".notes > li")).to_have_count(others)
    a_note = f"reviewer1: {Likelihood.VERY_UNLIKELY.label}, moderate analytic confidence"
    expect(panel.locator(".notes")).to_contain_text(a_note)
    expect(panel.locator(".notes")).to_contain_text(A_RATIONALE)
    expect(panel.locator(".disputed-note")).to_contain_text("Reviewers disagree")
    expect(panel.locator(".strip .cell.filled")).not_to_have_count(0)
    expect(page.locator("#p2 mark.hl")).to_have_class(DISPUTED)
    expect(page.locator("#counters")).to_contain_text("1 disputed")


def _filter_disputed(page, *, on: bool) -> None:
    box = page.get_by_label("Disputed only")
    box.check() if on else box.uncheck()
    if on:
        expect(page.locator("#counters .shown")).to_be_visible()
    else:
        expect(page.locator("#counters .shown")).to_have_count(0)


def test_a_reviewer_sees_anothers_note_only_after_recording_their_own(
    browser, live_server, page, seed_article, claim, reviewer, other_reviewer
):
    open_workspace(page, seed_article, reviewer)
    open_claim(page, "p2")
    _sees_no_other_notes(page)  # A too judges blind: the lead's note is hidden from them
    record_note(page, Likelihood.VERY_UNLIKELY.label, A_RATIONALE)
    expect(page.locator("#panel .notes")).to_contain_text(LEAD_RATIONALE)

    with another_page(browser, live_server) as theirs:
        open_workspace(theirs, seed_article, other_reviewer)
        # The disputed filter does not give away that others disagree on it.
        _filter_disputed(theirs, on=True)
        expect(theirs.locator("#counters .shown")).to_have_text("0 match the filters")
        expect(theirs.locator("#claim-list .empty")).to_have_text("No claim matches these filters.")
        _filter_disputed(theirs, on=False)
        # Nor does the reviewer filter: A is only there through a note B may not see.
        expect(theirs.locator("#f-reviewer option")).to_have_text(["Anyone", "lead"])
        open_claim(theirs, "p2")
        _sees_no_other_notes(theirs)
        theirs.evaluate("window.notReloaded = true")

        record_note(theirs, Likelihood.LIKELY.label, "Wires agree on the time")

        _sees_everyones_notes(theirs, others=2)
        assert theirs.evaluate("window.notReloaded") is True
        _filter_disputed(theirs, on=True)
        expect(theirs.locator("#counters .shown")).to_have_text("1 match the filters")
        expect(theirs.locator("#claim-list li")).to_have_count(1)
        expect(theirs.locator("#claim-list li")).to_contain_text("Israel struck")


def test_a_note_recorded_meanwhile_does_not_wake_a_blind_reviewers_page(
    browser, live_server, page, seed_article, claim, reviewer, other_reviewer
):
    open_workspace(page, seed_article, reviewer)
    with another_page(browser, live_server) as theirs:
        open_workspace(theirs, seed_article, other_reviewer)
        open_claim(theirs, "p2")
        # Tag what a live update would replace, to know that nothing was replaced.
        theirs.evaluate(
            """() => {
              document.querySelector("#p2").dataset.before = "yes";
              document.querySelector("#panel section.claim").dataset.before = "yes";
            }"""
        )

        open_claim(page, "p2")
        record_note(page, Likelihood.VERY_UNLIKELY.label, A_RATIONALE)

        # A note they may not see is no change for them: their next poll hears nothing
        # (a live update would tell them that a note was written).
        with theirs.expect_request(lambda r: "/live/" in r.url, timeout=8_000) as poll:
            pass
        assert poll.value.response().status == 204
        expect(theirs.locator("#p2[data-before]")).to_have_count(1)
        expect(theirs.locator("#panel section.claim[data-before]")).to_have_count(1)
        _sees_no_other_notes(theirs)


def test_a_lead_sees_everything_from_the_start(page, seed_article, claim, reviewer, lead):
    _a_notes_it(claim, reviewer)

    open_workspace(page, seed_article, lead)
    open_claim(page, "p2")

    _sees_everyones_notes(page, others=1)
    expect(page.locator("#panel .notes")).not_to_contain_text(LEAD_RATIONALE)  # theirs: the form
    expect(page.get_by_label("Why (my rationale)")).to_have_value(LEAD_RATIONALE)


def test_without_independent_review_a_reviewer_sees_others_notes_at_once(
    page, seed_article, claim, reviewer, other_reviewer
):
    seed_article.independent_review = False
    seed_article.save()
    _a_notes_it(claim, reviewer)

    open_workspace(page, seed_article, other_reviewer)
    open_claim(page, "p2")

    _sees_everyones_notes(page, others=2)
    expect(page.locator("#panel .notes")).to_contain_text(LEAD_RATIONALE)
    expect(page.get_by_role("button", name="Save my note")).to_be_visible()
