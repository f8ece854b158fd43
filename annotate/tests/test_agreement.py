from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from annotate.agreement import Metric, article_agreement, coincidences, reliability_alpha
from annotate.models import ConfidenceNote
from annotate.tests.factories import UserFactory, make_citation, make_claim, make_note

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

    with django_assert_num_queries(3):  # claims, notes, citations
        result = article_agreement(seed_article)

    assert result.ordinal.value is None
    assert result.pairable == 0
    assert [(r.username, r.notes) for r in result.reviewers] == [("reviewer1", 1)]


@pytest.fixture
def judged_twice(seed_article, reviewer):
    """Four claims two reviewers judged; bo's note on the third was recorded before
    analytic confidence existed (NULL)."""
    paragraphs = {p.position: p for p in seed_article.revisions.get().paragraphs.all()}
    ana, bo = UserFactory(username="ana"), UserFactory(username="bo")
    for user in (ana, bo):
        user.groups.set(reviewer.groups.all())
    quotes = {3: "Loud explosions", 4: "precise strike", 5: "currently unknown", 6: "in Doha"}
    claims = [
        make_claim(paragraph=paragraphs[p], quote=q, user=reviewer) for p, q in quotes.items()
    ]
    judgements = [  # (likelihood, analytic confidence) of ana, then of bo
        ((5, "low"), (5, "low")),
        ((2, "high"), (2, "moderate")),
        ((3, "moderate"), (6, None)),
        ((4, "high"), (4, "high")),
    ]
    for claim, notes in zip(claims, judgements, strict=True):
        for user, (likelihood, confidence) in zip((ana, bo), notes, strict=True):
            note = make_note(
                claim=claim, likelihood=likelihood, analytic_confidence="low", user=user
            )
            ConfidenceNote.objects.filter(pk=note.pk).update(analytic_confidence=confidence)
    return claims


@pytest.mark.django_db
def test_alpha_is_computed_per_judgement_each_with_its_pairable_count(seed_article, judged_twice):
    result = article_agreement(seed_article)

    rows = {row.judgement.field: row for row in result.judgements}
    assert list(rows) == ["likelihood", "analytic_confidence", "stance", "credibility"]
    assert rows["stance"].alpha.metric == Metric.NOMINAL
    assert {rows[f].alpha.metric for f in rows if f != "stance"} == {Metric.ORDINAL}
    # Likelihood: the headline ordinal figure, over all eight notes.
    assert rows["likelihood"].alpha == result.ordinal
    assert rows["likelihood"].alpha.pairable == 8
    # Analytic confidence: bo's legacy note is missing, so the third claim pairs nothing.
    # Ranks low 1 < moderate 2 < high 3; pairable 1,1 | 3,2 | 3,3, so n = 6, n_1 = 2,
    # n_2 = 1, n_3 = 3. delta²(2,3) = (1+3 - 2)² = 4, delta²(1,2) = 1.5², delta²(1,3) =
    # 3.5²; observed 2·4 = 8, expected 2·(2·1·2.25 + 2·3·12.25 + 1·3·4) = 180;
    # alpha = 1 - 5·8/180 = 7/9. (Ranked as text, high < low < moderate, it would be 1/9.)
    confidence = rows["analytic_confidence"].alpha
    assert confidence.pairable == 6
    assert confidence.value == pytest.approx(7 / 9, abs=1e-15)


@pytest.mark.django_db
def test_the_per_judgement_rows_agree_with_alpha_of_their_own_matrix(seed_article, judged_twice):
    """The reference: reliability_alpha (checked against Krippendorff's published values
    above) of the judgement's reviewers x claims matrix, written out by hand."""
    N = None
    likelihood = [[5, 2, 3, 4], [5, 2, 6, 4]]
    confidence = [[1, 3, 2, 3], [1, 2, N, 3]]

    result = {row.judgement.field: row.alpha for row in article_agreement(seed_article).judgements}

    for field, matrix in (("likelihood", likelihood), ("analytic_confidence", confidence)):
        reference = reliability_alpha(matrix, Metric.ORDINAL)
        assert result[field].value == pytest.approx(reference.value, abs=1e-15)
        assert result[field].pairable == reference.pairable


@pytest.mark.django_db
def test_stance_and_credibility_are_compared_where_reviewers_cite_the_same_source(
    seed_article, judged_twice
):
    """Units are (claim, source): ana and bo cite a wire and a paper on the first claims.
    The hand-written matrices below are the reference, as for the notes."""
    ana, bo = (get_user_model().objects.get(username=name) for name in ("ana", "bo"))
    first, second, third, _ = judged_twice
    wire = {"url": "https://example.org/wire", "title": "Wire"}
    paper = {"url": "https://example.org/paper", "title": "Paper"}
    cited = [  # (claim, source, ana's (stance, credibility), bo's)
        (first, wire, ("supports", 1), ("supports", 2)),
        (first, paper, ("refutes", 4), ("context", 4)),
        (second, wire, ("supports", 2), ("supports", 6)),  # 6: cannot be judged, missing
        (third, paper, ("context", 3), None),  # only ana: nothing to pair with
    ]
    for claim, source, *judgements in cited:
        for user, judged in zip((ana, bo), judgements, strict=True):
            if judged:
                make_citation(
                    claim=claim, user=user, stance=judged[0], credibility=judged[1], **source
                )
    # bo changes his mind on the wire for the first claim: his latest citation counts.
    make_citation(claim=first, user=bo, stance="supports", credibility=1, **wire)

    rows = {row.judgement.field: row.alpha for row in article_agreement(seed_article).judgements}

    N = None
    # Units in (claim, source) order (the wire was recorded before the paper): first-wire,
    # first-paper, second-wire, third-paper; rows ana, bo. Stances as scale ranks
    # (supports 1, refutes 2, context 3), credibility 1..5 with 6 missing.
    stance = [[1, 2, 1, 3], [1, 3, 1, N]]
    credibility = [[1, 4, 2, 3], [1, 4, N, N]]
    for field, matrix, metric in (
        ("stance", stance, Metric.NOMINAL),
        ("credibility", credibility, Metric.ORDINAL),
    ):
        reference = reliability_alpha(matrix, metric)
        assert rows[field].pairable == reference.pairable
        assert rows[field].value == pytest.approx(reference.value, abs=1e-15)
    assert rows["stance"].pairable == 6
    assert rows["credibility"].pairable == 4
