from __future__ import annotations

import pytest

from annotate import services
from annotate.disagreement import ConfidenceSummary, disputed_q, with_note_range
from annotate.models import Claim
from annotate.tests.factories import UserFactory, make_claim, make_note


@pytest.mark.parametrize(
    ("likelihoods", "disputed"),
    [
        ([], False),
        ([1], False),
        ([5, 6], False),  # likely beside very likely: two steps
        ([3, 5], True),  # unlikely beside likely: three steps
        ([1, 7], True),
        ([4, 4, 4, 6], True),
        ([6, 7, 6], False),
    ],
)
def test_disputed_means_notes_spanning_three_steps(likelihoods, disputed):
    assert ConfidenceSummary.of(likelihoods).disputed is disputed


def test_the_span_is_a_setting(settings):
    settings.CLAIMDESK_DISPUTED_SPAN = 2
    assert ConfidenceSummary.of([5, 6]).disputed


def test_summary_gives_count_lowest_median_highest():
    assert ConfidenceSummary.of([6, 2, 5, 7]) == ConfidenceSummary(
        count=4, lowest=2, median=5.5, highest=7
    )
    assert ConfidenceSummary.of([]) == ConfidenceSummary(0, None, None, None)


@pytest.mark.django_db
def test_the_sql_filter_agrees_with_the_python_rule(seed_article, reviewer):
    paragraph = seed_article.revisions.get().paragraphs.get(position=5)
    span = make_claim(paragraph=paragraph, quote="casualties", user=reviewer).span
    judges = [UserFactory(username=f"judge{i}") for i in range(3)]
    for judge in judges:
        judge.groups.set(reviewer.groups.all())
    cases = {"calm": [5, 6], "split": [3, 5, 4], "single": [1], "none": []}
    for statement, likelihoods in cases.items():
        claim = services.claim_create(span=span, statement=statement, user=reviewer)
        for judge, likelihood in zip(judges, likelihoods, strict=False):
            make_note(claim=claim, likelihood=likelihood, user=judge)

    disputed = with_note_range(Claim.objects.filter(statement__in=cases)).filter(disputed_q())

    assert [claim.statement for claim in disputed] == ["split"]
