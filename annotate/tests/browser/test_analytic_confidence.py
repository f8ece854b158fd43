"""Analytic confidence in a real browser: a reviewer records a note with both judgements,
is told when one is missing, and sees the levels beside the likelihood strip."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from annotate.models import ConfidenceNote, Likelihood
from annotate.tests.browser.workspace_steps import (
    open_claim,
    open_workspace,
    record_note,
    serious_violations,
)
from annotate.tests.factories import make_claim, make_note
from annotate.tests.workspace_helpers import paragraph

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def claim(seed_article, reviewer, lead):
    claim = make_claim(paragraph=paragraph(seed_article, 2), quote="Israel struck", user=reviewer)
    make_note(claim=claim, likelihood=Likelihood.VERY_LIKELY, analytic_confidence="high", user=lead)
    return claim


def test_a_reviewer_records_likelihood_and_analytic_confidence(page, seed_article, claim, reviewer):
    open_workspace(page, seed_article, reviewer)
    open_claim(page, "p2")
    panel = page.locator("#panel")

    # Likelihood alone is refused beside the missing field, and nothing is recorded.
    panel.get_by_label(Likelihood.LIKELY.label, exact=True).check()
    panel.get_by_role("button", name="Save my note").click()
    expect(panel.locator("#note_analytic_confidence_error")).to_be_visible()
    assert not ConfidenceNote.objects.filter(reviewer=reviewer).exists()

    record_note(page, Likelihood.LIKELY.label, "Two wires, one of them close", confidence="Low")

    expect(panel.locator("#confidence-levels")).to_have_text("Analytic confidence: 1 low, 1 high")
    expect(panel.locator(".analytic-confidence").get_by_label("Low", exact=True)).to_be_checked()
    expect(panel.locator(".notes")).to_contain_text("lead: Very likely (80–95%), high analytic")
    note = ConfidenceNote.objects.get(reviewer=reviewer)
    assert (note.likelihood, note.analytic_confidence) == (Likelihood.LIKELY, "low")


def test_the_agreement_page_has_a_row_per_judgement_and_passes_axe(
    page, seed_article, claim, reviewer, lead
):
    make_note(
        claim=claim, likelihood=Likelihood.LIKELY, analytic_confidence="moderate", user=reviewer
    )
    open_workspace(page, seed_article, lead)

    page.get_by_role("link", name="Agreement between reviewers").click()

    rows = page.locator("table.judgements tbody tr")
    expect(rows.locator("th")).to_have_text(
        ["Likelihood", "Analytic confidence", "Stance", "Information credibility"]
    )
    expect(rows.locator(".pairable")).to_have_text(["2", "2", "0", "0"])  # no citations here
    # One claim, moderate against high: no better than chance.
    expect(page.locator("#judgement-analytic_confidence .alpha-value")).to_have_text("0.000")
    assert serious_violations(Axe().run(page)) == []
