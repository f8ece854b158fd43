from __future__ import annotations

import pytest

from annotate.agreement import Metric, article_agreement, coincidences, reliability_alpha
from annotate.tests.factories import UserFactory, make_claim, make_note

N = None

# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: four
# observers, twelve units, values 1..5, missing judgements. The paper gives
# nominal 0.743, ordinal 0.815, interval 0.849 and ratio 0.797.
KRIPPENDORFF_2011 = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, N, N, N],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, N, 3],
    [N, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, N],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, N],
]


@pytest.mark.parametrize(
    ("metric", "expected"),
    [
        (Metric.NOMINAL, 0.743),
        (Metric.ORDINAL, 0.815),
        (Metric.INTERVAL, 0.849),
        (Metric.RATIO, 0.797),
    ],
)
def test_it_reproduces_krippendorffs_worked_example(metric, expected):
    result = reliability_alpha(KRIPPENDORFF_2011, metric)

    assert round(result.value, 3) == expected
    # Unit 12 has one value only, so 40 of the 41 values are pairable.
    assert result.pairable == 40
    assert result.metric is metric


def test_the_coincidence_matrix_matches_the_paper():
    o = coincidences(KRIPPENDORFF_2011)

    # Value 1 by hand: units 1 (1,1,1), 8 (1,2,1,1) and 11 (1,1) give o_11 = 3 + 2 + 2,
    # units 8 and 6 (1,2,3,4) give o_12 = 1 + 1/3; n_1 = 9 as in the paper.
    assert round(o[1, 1], 3) == 7
    assert round(o[1, 2], 3) == round(4 / 3, 3)
    assert round(o[1, 3], 3) == round(1 / 3, 3)
    assert round(o[1, 4], 3) == round(1 / 3, 3)
    assert o[5, 5] == 3  # unit 10 only: 5,5,5
    assert round(sum(w for (c, _k), w in o.items() if c == 1), 9) == 9
    assert round(sum(o.values()), 9) == 40


def test_a_second_published_example_with_many_gaps():
    # Three coders, fifteen units; the krippendorff package's reference values.
    data = [
        [N, N, N, N, N, 3, 4, 1, 2, 1, 1, 3, 3, N, 3],
        [1, N, 2, 1, 3, 3, 4, 3, N, N, N, N, N, N, N],
        [N, N, 2, 1, 3, 4, 4, N, 2, 1, 1, 3, 3, N, 4],
    ]

    assert round(reliability_alpha(data, "nominal").value, 6) == 0.691358
    assert round(reliability_alpha(data, "interval").value, 6) == 0.810845


def test_perfect_agreement_is_one():
    data = [[1, 2, 3, 7], [1, 2, 3, 7], [1, N, 3, 7]]

    for metric in Metric:
        assert reliability_alpha(data, metric).value == 1.0
    assert reliability_alpha(data).pairable == 11


@pytest.mark.parametrize(
    "data",
    [
        [],
        [[1, 2, 3]],  # one reviewer: nobody to agree with
        [[1, N], [N, 2]],  # two reviewers who never judged the same claim
        [[N, N], [N, N]],
    ],
)
def test_without_pairable_judgements_alpha_is_undefined(data):
    result = reliability_alpha(data)

    assert result.value is None
    assert result.pairable == 0


def test_without_variation_alpha_is_undefined_but_the_pairs_are_counted():
    result = reliability_alpha([[5, 5, N], [5, 5, 3]])

    assert result.value is None
    assert result.pairable == 4


def test_systematic_disagreement_is_negative():
    assert reliability_alpha([[1, 7], [7, 1]], "interval").value == pytest.approx(-0.5)


@pytest.mark.django_db
def test_article_agreement_over_confidence_notes(seed_article, reviewer):
    paragraphs = {p.position: p for p in seed_article.revisions.get().paragraphs.all()}
    ana, bo = UserFactory(username="ana"), UserFactory(username="bo")
    for user in (ana, bo):
        user.groups.set(reviewer.groups.all())
    calm = make_claim(paragraph=paragraphs[3], quote="Loud explosions", user=reviewer)
    settled = make_claim(paragraph=paragraphs[4], quote="precise strike", user=reviewer)
    split = make_claim(paragraph=paragraphs[5], quote="currently unknown", user=reviewer)
    single = make_claim(paragraph=paragraphs[6], quote="meeting in Doha", user=reviewer)
    unjudged = make_claim(paragraph=paragraphs[7], quote="first known time", user=reviewer)
    for claim, likelihoods in [
        (calm, {ana: 5, bo: 5}),
        (settled, {ana: 2, bo: 2}),
        (split, {ana: 3, bo: 6}),
        (single, {ana: 4}),
    ]:
        for user, likelihood in likelihoods.items():
            make_note(claim=claim, likelihood=likelihood, user=user)

    result = article_agreement(seed_article)

    # By hand: pairable values 5,5 | 2,2 | 3,6, so n = 6; nominal 1 - 5·2/26,
    # interval 1 - 5·18/178, ordinal 1 - 5·18/198 (delta²(3,6) = (1+2+1 - 1)² = 9).
    assert result.pairable == 6
    assert round(result.nominal.value, 6) == round(1 - 10 / 26, 6)
    assert round(result.interval.value, 6) == round(1 - 90 / 178, 6)
    assert round(result.ordinal.value, 6) == round(1 - 90 / 198, 6)
    assert [(r.username, r.notes) for r in result.reviewers] == [("ana", 4), ("bo", 3)]
    assert [row.claim for row in result.claims] == [split, calm, settled, single, unjudged]
    assert [row.summary.disputed for row in result.claims] == [True, False, False, False, False]
    assert [row.spread for row in result.claims] == [4, 1, 1, 1, 0]
    assert result.claims[0].likelihoods == {ana.pk: 3, bo.pk: 6}


@pytest.mark.django_db
def test_article_agreement_takes_two_queries(seed_article, reviewer, django_assert_num_queries):
    paragraph = seed_article.revisions.get().paragraphs.get(position=3)
    claim = make_claim(paragraph=paragraph, quote="Loud explosions", user=reviewer)
    make_note(claim=claim, likelihood=5, user=reviewer)

    with django_assert_num_queries(2):
        result = article_agreement(seed_article)

    assert result.ordinal.value is None
    assert result.pairable == 0
    assert [(r.username, r.notes) for r in result.reviewers] == [("reviewer1", 1)]
