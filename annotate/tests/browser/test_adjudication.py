"""Adjudication in a real browser: a lead's verdict needs a written reason, a change a new
one (annotate.services.claim_set_verdict), errors show beside the field with what was
typed; everyone sees the verdict and its reason as text; reviewers' notes stay as they were."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from annotate import services
from annotate.models import Claim, ConfidenceNote, Likelihood, Verdict
from annotate.tests.browser.workspace_steps import open_claim, open_workspace
from annotate.tests.factories import make_claim, make_note
from annotate.tests.workspace_helpers import paragraph

pytestmark = pytest.mark.django_db(transaction=True)

PAYLOAD = '<img src=x onerror="window.pwned=1">Two wires <script>window.pwned=2</script>agree'
RATIONALE = "Why (the verdict's rationale)"


@pytest.fixture
def claim(seed_article, reviewer, other_reviewer):
    """A claim its two reviewers dispute (likely against very unlikely)."""
    claim = make_claim(paragraph=paragraph(seed_article, 2), quote="Israel struck", user=reviewer)
    for user, likelihood, why in (
        (reviewer, Likelihood.LIKELY, "Wires agree on the time."),
        (other_reviewer, Likelihood.VERY_UNLIKELY, "Only one named source."),
    ):
        make_note(claim=claim, likelihood=likelihood, rationale=why, user=user)
    return claim


def _notes(claim) -> list[tuple]:
    return list(
        ConfidenceNote.objects.filter(claim=claim)
        .order_by("pk")
        .values_list("pk", "reviewer__username", "likelihood", "rationale", "updated_at")
    )


def _save_verdict(page, verdict: str, rationale: str) -> None:
    panel = page.locator("#panel")
    panel.get_by_label("Your verdict").select_option(label=verdict)
    panel.get_by_label(RATIONALE).fill(rationale)
    panel.get_by_role("button", name="Save verdict").click()


def _refused(page, message: str, *, verdict: str, typed: str) -> None:
    panel = page.locator("#panel")
    expect(panel.locator("#verdict_rationale_error")).to_have_text(message)
    expect(panel.get_by_label(RATIONALE)).to_be_focused()
    expect(panel.get_by_label(RATIONALE)).to_have_value(typed)
    expect(panel.get_by_label("Your verdict")).to_have_value(verdict)


def test_a_lead_adjudicates_with_a_reason_and_changes_only_with_a_new_one(
    page, seed_article, claim, lead
):
    notes_before = _notes(claim)
    mark = page.locator("#p2 mark.hl")
    verdict = page.locator("#panel .verdict")
    open_workspace(page, seed_article, lead)
    open_claim(page, "p2")
    expect(mark).to_have_class(re.compile(r"\bhl-disputed\b"))

    _save_verdict(page, "Mostly supported", "")
    _refused(page, "Give the reason for setting the verdict.", verdict="mostly_supported", typed="")
    expect(verdict).to_contain_text("Not adjudicated yet.")

    page.locator("#panel").get_by_label(RATIONALE).fill(PAYLOAD)
    page.locator("#panel").get_by_role("button", name="Save verdict").click()

    expect(verdict.locator(".badge")).to_have_text("Mostly supported")
    expect(verdict.locator(".rationale")).to_have_text(PAYLOAD)
    expect(verdict.locator(".by")).to_contain_text("by lead, ")
    expect(verdict.locator(".rationale img, .rationale script")).to_have_count(0)
    expect(mark).to_have_class(re.compile(r"\bhl-mostly_supported\b"))
    expect(page.locator("#counters")).to_contain_text("1 adjudicated")
    assert page.evaluate("window.pwned") is None

    _save_verdict(page, "Mixed", "")
    _refused(page, "Give the reason for changing the verdict.", verdict="mixed", typed="")
    _save_verdict(page, "Mixed", PAYLOAD)
    _refused(
        page,
        "Give a new reason: this one explains the current verdict.",
        verdict="mixed",
        typed=PAYLOAD,
    )
    expect(verdict.locator(".badge")).to_have_text("Mostly supported")
    expect(mark).to_have_class(re.compile(r"\bhl-mostly_supported\b"))

    _save_verdict(page, "Mixed", "A denial came in.")

    expect(verdict.locator(".badge")).to_have_text("Mixed")
    expect(verdict.locator(".rationale")).to_have_text("A denial came in.")
    expect(mark).to_have_class(re.compile(r"\bhl-mixed\b"))
    expect(page.locator("#panel .notes")).to_contain_text("Only one named source.")
    assert Claim.objects.values_list("verdict", "verdict_rationale").get() == (
        Verdict.MIXED,
        "A denial came in.",
    )
    assert _notes(claim) == notes_before


def test_a_reviewer_sees_the_verdict_and_its_reason_as_text_but_no_form(
    page, seed_article, claim, lead, other_reviewer
):
    services.claim_set_verdict(
        claim=claim, verdict=Verdict.UNSUPPORTED, rationale=PAYLOAD, user=lead
    )
    notes_before = _notes(claim)

    open_workspace(page, seed_article, other_reviewer)
    open_claim(page, "p2")

    verdict = page.locator("#panel .verdict")
    expect(verdict.locator(".badge")).to_have_text("Unsupported")
    expect(verdict.locator(".rationale")).to_have_text(PAYLOAD)
    expect(verdict.locator(".by")).to_contain_text("by lead, ")
    expect(verdict.locator(".rationale img, .rationale script")).to_have_count(0)
    expect(verdict.locator("form")).to_have_count(0)
    expect(page.get_by_label("Your verdict")).to_have_count(0)
    expect(page.get_by_role("button", name="Save verdict")).to_have_count(0)
    expect(page.locator("#p2 mark.hl")).to_have_class(re.compile(r"\bhl-unsupported\b"))
    # Their own note is as they left it, in the form to revise it.
    expect(page.get_by_label("Why (my rationale)")).to_have_value("Only one named source.")
    expect(page.get_by_label(Likelihood.VERY_UNLIKELY.label, exact=True)).to_be_checked()
    assert page.evaluate("window.pwned") is None
    assert _notes(claim) == notes_before
