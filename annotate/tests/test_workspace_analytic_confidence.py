"""Analytic confidence in the workspace: the note form asks for it beside likelihood, each
note shows it, the notes at each level sit beside the likelihood strip, and independent
review hides it exactly as it hides the rest of others' notes."""

from __future__ import annotations

import re

import pytest

from annotate.models import ConfidenceNote, Likelihood
from annotate.tests.factories import make_claim, make_note
from annotate.tests.workspace_helpers import claim_url, csrf_client, csrf_post, paragraph

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim(seed_article, reviewer):
    return make_claim(paragraph=paragraph(seed_article, 2), quote="Israel struck", user=reviewer)


def _note_url(article, claim) -> str:
    return f"{claim_url(article, claim)}note/"


def _levels(html: str) -> str:
    found = re.search(r'<p class="confidence-levels" id="confidence-levels">(.*?)</p>', html)
    return re.sub(r"<[^>]+>", "", found.group(1)) if found else None


def test_the_note_form_asks_for_both_judgements(client, seed_article, claim, reviewer):
    client.force_login(reviewer)

    html = client.get(claim_url(seed_article, claim)).content.decode()

    assert "My analytic confidence: how good are the evidence and reasoning" in html
    radios = re.findall(r'<input type="radio" name="analytic_confidence" value="(\w+)"', html)
    assert radios == ["low", "moderate", "high"]


def test_a_note_is_recorded_with_its_analytic_confidence(seed_article, claim, reviewer):
    response = csrf_post(
        csrf_client(reviewer),
        _note_url(seed_article, claim),
        {"likelihood": "6", "analytic_confidence": "low", "rationale": "One wire report"},
    )

    assert response.status_code == 200
    note = ConfidenceNote.objects.get()
    assert (note.likelihood, note.analytic_confidence) == (6, "low")
    html = response.content.decode()
    assert re.search(r'value="low"[^>]*checked', html)  # the form shows what was recorded
    assert _levels(html) == "Analytic confidence: 1 low"


def test_without_it_the_form_is_a_422_beside_the_field(seed_article, claim, reviewer):
    response = csrf_post(csrf_client(reviewer), _note_url(seed_article, claim), {"likelihood": "6"})

    assert response.status_code == 422
    html = response.content.decode()
    assert 'aria-describedby="note_analytic_confidence_error"' in html
    assert re.search(r'id="note_analytic_confidence_error">[^<]*required', html)
    assert not ConfidenceNote.objects.exists()


def test_each_note_shows_its_confidence_and_the_levels_are_counted(
    client, seed_article, claim, reviewer, other_reviewer, lead
):
    make_note(claim=claim, likelihood=Likelihood.LIKELY, analytic_confidence="high", user=lead)
    make_note(claim=claim, likelihood=Likelihood.UNLIKELY, user=other_reviewer)
    legacy = make_note(claim=claim, likelihood=Likelihood.LIKELY, user=reviewer)
    ConfidenceNote.objects.filter(pk=legacy.pk).update(analytic_confidence=None)
    client.force_login(lead)

    html = client.get(claim_url(seed_article, claim)).content.decode()

    assert _levels(html) == "Analytic confidence: 1 moderate, 1 high, 1 not recorded"
    assert "<strong>reviewer2</strong>: Unlikely (20–45%), " in html
    assert '<span class="note-confidence">moderate analytic confidence</span>' in html
    assert '<span class="note-confidence">analytic confidence not recorded</span>' in html


def test_a_legacy_note_must_get_one_when_its_reviewer_revises_it(
    client, seed_article, claim, reviewer
):
    note = make_note(claim=claim, likelihood=Likelihood.LIKELY, user=reviewer)
    ConfidenceNote.objects.filter(pk=note.pk).update(analytic_confidence=None)
    client.force_login(reviewer)

    html = client.get(claim_url(seed_article, claim)).content.decode()
    refused = csrf_post(csrf_client(reviewer), _note_url(seed_article, claim), {"likelihood": "5"})

    assert 'id="note_confidence_missing"' in html
    assert not re.search(r'name="analytic_confidence"[^>]*checked', html)
    assert refused.status_code == 422
    assert ConfidenceNote.objects.get().analytic_confidence is None


def test_independent_review_hides_others_confidence_until_your_own_note(
    client, seed_article, claim, reviewer, lead
):
    make_note(claim=claim, likelihood=Likelihood.LIKELY, analytic_confidence="high", user=lead)
    client.force_login(reviewer)

    before = client.get(claim_url(seed_article, claim)).content.decode()
    make_note(claim=claim, likelihood=Likelihood.UNLIKELY, analytic_confidence="low", user=reviewer)
    after = client.get(claim_url(seed_article, claim)).content.decode()

    assert seed_article.independent_review
    assert _levels(before) is None
    assert "high analytic confidence" not in before
    assert _levels(after) == "Analytic confidence: 1 low, 1 high"
    assert "high analytic confidence" in after
