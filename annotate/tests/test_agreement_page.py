"""The agreement page and GET /api/v1/articles/{slug}/agreement/: the same figures, for
those who may see everyone's notes."""

from __future__ import annotations

import re

import pytest

from annotate.agreement import article_agreement
from annotate.models import Likelihood
from annotate.tests.api.conftest import client_for
from annotate.tests.factories import make_claim, make_note
from annotate.tests.workspace_helpers import paragraph, workspace_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def judged(seed_article, reviewer, other_reviewer, lead):
    """Two claims: one the three agree on more or less, one they dispute."""
    calm = make_claim(paragraph=paragraph(seed_article, 2), quote="Israel struck", user=reviewer)
    hot = make_claim(paragraph=paragraph(seed_article, 3), quote="Loud explosions", user=reviewer)
    for user, calm_value, hot_value in (
        (reviewer, Likelihood.LIKELY, Likelihood.ALMOST_NO_CHANCE),
        (other_reviewer, Likelihood.VERY_LIKELY, Likelihood.ALMOST_CERTAIN),
        (lead, Likelihood.LIKELY, Likelihood.ROUGHLY_EVEN),
    ):
        make_note(claim=calm, likelihood=calm_value, user=user)
        make_note(claim=hot, likelihood=hot_value, user=user)
    return calm, hot


def _page(client, article):
    return client.get(f"/articles/{article.slug}/agreement/")


@pytest.mark.parametrize("who", ["lead", "researcher"])
def test_leads_and_researchers_see_alpha_reviewers_and_disputed_claims_first(
    client, seed_article, judged, request, who
):
    calm, hot = judged
    expected = article_agreement(seed_article)
    client.force_login(request.getfixturevalue(who))

    response = _page(client, seed_article)

    assert response.status_code == 200
    html = response.content.decode()
    ordinal = re.search(r'id="alpha-ordinal-value">([^<]*)<', html).group(1)
    assert ordinal == f"{expected.ordinal.value:.3f}"
    assert re.search(r'id="alpha-nominal-value">([^<]*)<', html).group(1) == (
        f"{expected.nominal.value:.3f}"
    )
    assert re.search(r'id="pairable">(\d+)<', html).group(1) == "6"
    assert '<td>reviewer1</td><td class="n">2</td>' in html
    links = re.findall(r'href="([^"]*/claims/\d+/\?revision=1)"', html)
    assert links == [
        f"{workspace_url(seed_article)}claims/{hot.pk}/?revision=1",
        f"{workspace_url(seed_article)}claims/{calm.pk}/?revision=1",
    ]
    assert "<strong>1</strong> is perfect agreement" in html


def test_undefined_alpha_is_said_in_words(client, seed_article, reviewer, lead):
    claim = make_claim(paragraph=paragraph(seed_article, 2), quote="Israel struck", user=reviewer)
    client.force_login(lead)

    nothing = _page(client, seed_article).content.decode()
    make_note(claim=claim, likelihood=3, user=reviewer)
    make_note(claim=claim, likelihood=3, user=lead)
    same = _page(client, seed_article).content.decode()

    assert "no claim has notes from two reviewers yet" in nothing
    assert 'id="alpha-ordinal-value">undefined<' in nothing
    assert "no variation to agree or disagree on" in same
    assert re.search(r'id="pairable">(\d+)<', same).group(1) == "2"


def test_reviewers_may_not_see_it_under_independent_review(client, seed_article, judged, reviewer):
    client.force_login(reviewer)

    refused = _page(client, seed_article)
    workspace = client.get(workspace_url(seed_article)).content.decode()
    listing = client.get("/").content.decode()
    seed_article.independent_review = False
    seed_article.save()
    allowed = _page(client, seed_article)

    assert refused.status_code == 403
    assert "/agreement/" not in workspace
    assert "/agreement/" not in listing
    assert allowed.status_code == 200


def test_the_workspace_and_the_article_list_link_to_it(client, seed_article, lead):
    client.force_login(lead)
    url = f"/articles/{seed_article.slug}/agreement/"

    assert f'href="{url}"' in client.get(workspace_url(seed_article)).content.decode()
    assert f'href="{url}"' in client.get("/").content.decode()


def test_it_requires_login(client, seed_article):
    assert _page(client, seed_article).status_code == 302


# The API --------------------------------------------------------------------------------


def _api(user, article):
    return client_for(user).get(f"/api/v1/articles/{article.slug}/agreement/")


def test_the_api_gives_the_same_figures(seed_article, judged, researcher):
    calm, hot = judged
    expected = article_agreement(seed_article)

    response = _api(researcher, seed_article)

    assert response.status_code == 200
    data = response.json()
    assert data["article"] == seed_article.slug
    assert data["ordinal"] == {"value": expected.ordinal.value, "pairable": 6}
    assert data["nominal"]["value"] == expected.nominal.value
    assert data["interval"]["value"] == expected.interval.value
    assert data["pairable"] == 6
    assert data["reviewers"] == [
        {"reviewer": "lead", "notes": 2},
        {"reviewer": "reviewer1", "notes": 2},
        {"reviewer": "reviewer2", "notes": 2},
    ]
    assert [c["claim"] for c in data["claims"]] == [hot.pk, calm.pk]
    first = data["claims"][0]
    assert first["url"] == f"http://testserver/api/v1/claims/{hot.pk}/"
    assert first["confidence"]["disputed"] is True
    assert (first["spread"], first["revision"]) == (7, 1)


def test_the_api_gives_null_alpha_when_undefined(seed_article, lead):
    data = _api(lead, seed_article).json()

    assert data["ordinal"] == {"value": None, "pairable": 0}
    assert data["claims"] == []


def test_the_api_refuses_reviewers_under_independent_review(seed_article, judged, reviewer):
    refused = _api(reviewer, seed_article)
    seed_article.independent_review = False
    seed_article.save()
    allowed = _api(reviewer, seed_article)

    assert refused.status_code == 403
    assert refused.json()["error"]["status"] == 403
    assert allowed.status_code == 200


def test_the_api_answers_404_for_an_unknown_article(lead):
    response = client_for(lead).get("/api/v1/articles/no-such/agreement/")

    assert response.status_code == 404


# Per judgement ------------------------------------------------------------------------


@pytest.fixture
def confidence_judged(judged, reviewer, other_reviewer, lead):
    """The same notes, now with analytic confidence: all high on the calm claim, spread
    on the hot one, where the lead's note was recorded before it existed."""
    calm, hot = judged
    for claim, levels in ((calm, ("high", "high", "high")), (hot, ("low", "moderate", None))):
        for user, level in zip((reviewer, other_reviewer, lead), levels, strict=True):
            claim.notes.filter(reviewer=user).update(analytic_confidence=level)
    return judged


def test_the_page_has_a_row_per_judgement_with_its_pairable_count(
    client, seed_article, confidence_judged, lead
):
    expected = {
        row.judgement.field: row.alpha for row in article_agreement(seed_article).judgements
    }
    client.force_login(lead)

    html = _page(client, seed_article).content.decode()

    for field, label, pairable in (
        ("likelihood", "Likelihood", 6),
        ("analytic_confidence", "Analytic confidence", 5),
    ):
        row = re.search(rf'<tr id="judgement-{field}">(.*?)</tr>', html).group(1)
        assert f'<th scope="row">{label}</th><td>ordinal</td>' in row
        assert f'<td class="n alpha-value">{expected[field].value:.3f}</td>' in row
        assert f'<td class="n pairable">{pairable}</td>' in row
        assert expected[field].pairable == pairable


def test_the_api_gives_a_row_per_judgement(seed_article, confidence_judged, researcher):
    expected = {
        row.judgement.field: row.alpha for row in article_agreement(seed_article).judgements
    }

    data = _api(researcher, seed_article).json()

    assert data["judgements"] == [
        {
            "field": "likelihood",
            "label": "Likelihood",
            "metric": "ordinal",
            "value": expected["likelihood"].value,
            "pairable": 6,
        },
        {
            "field": "analytic_confidence",
            "label": "Analytic confidence",
            "metric": "ordinal",
            "value": expected["analytic_confidence"].value,
            "pairable": 5,
        },
        # No two reviewers cite the same source for a claim here: nothing to pair.
        {"field": "stance", "label": "Stance", "metric": "nominal", "value": None, "pairable": 0},
        {
            "field": "credibility",
            "label": "Information credibility",
            "metric": "ordinal",
            "value": None,
            "pairable": 0,
        },
    ]
    assert data["judgements"][0]["value"] == data["ordinal"]["value"]
