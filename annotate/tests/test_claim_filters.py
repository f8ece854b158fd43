"""The workspace's filter bar and the API's claim filters mean the same: each filter, run
through both for the same user, keeps the same claims, and independent review holds in
both (annotate.claim_filters is the one place that says what a filter means)."""

from __future__ import annotations

import pytest
from django.test import Client

from annotate import services
from annotate.models import Likelihood
from annotate.tests.api.conftest import client_for
from annotate.tests.factories import make_citation, make_claim, make_note
from annotate.tests.workspace_helpers import paragraph, workspace_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def claims(seed_article, reviewer, other_reviewer, lead):
    """Made by each of three people; two disputed, one of them only for who may see it."""
    made = make_claim(
        paragraph=paragraph(seed_article, 2), quote="Israel struck", user=reviewer,
        statement="Israel carried out the strike",
    )  # fmt: skip
    services.claim_update(claim=made, user=reviewer, attributed_to="Qatari officials")
    noted = make_claim(
        paragraph=paragraph(seed_article, 7), quote="amid its genocide in Gaza",
        user=other_reviewer, kind="characterization",
    )  # fmt: skip
    make_citation(claim=noted, user=other_reviewer, stance="refutes")
    make_note(claim=noted, likelihood=Likelihood.UNLIKELY, user=reviewer)
    make_note(claim=noted, likelihood=Likelihood.LIKELY, user=lead)
    hidden = make_claim(
        paragraph=paragraph(seed_article, 3), quote="Loud explosions", user=lead, kind="opinion"
    )
    make_citation(claim=hidden, user=lead)
    make_note(claim=hidden, likelihood=Likelihood.VERY_UNLIKELY, user=other_reviewer)
    make_note(claim=hidden, likelihood=Likelihood.VERY_LIKELY, user=lead)
    services.claim_set_verdict(claim=hidden, verdict="supported", rationale="Wires.", user=lead)
    return {"made": made.pk, "noted": noted.pk, "hidden": hidden.pk}


# (the workspace's query, the API's query): the same filter in each one's spelling.
FILTERS = [
    ({"kind": "opinion"}, {"kind": "opinion"}),
    ({"kind": "characterization"}, {"kind": "characterization"}),
    ({"verdict": "none"}, {"verdict": "none"}),
    ({"verdict": "supported"}, {"verdict": "supported"}),
    ({"verdict": "mixed"}, {"verdict": "mixed"}),
    ({"reviewer": "reviewer1"}, {"reviewer": "reviewer1"}),
    ({"reviewer": "reviewer2"}, {"reviewer": "reviewer2"}),
    ({"reviewer": "lead"}, {"reviewer": "lead"}),
    ({"reviewer": "nobody"}, {"reviewer": "nobody"}),
    ({"disputed": "on"}, {"disputed": "true"}),
    ({"without_sources": "on"}, {"has_sources": "false"}),
    ({"q": "qatari"}, {"q": "qatari"}),  # attributed to
    ({"q": "GENOCIDE"}, {"q": "GENOCIDE"}),  # the quote
    ({"q": "carried out"}, {"q": "carried out"}),  # the statement
    ({"reviewer": "lead", "disputed": "on"}, {"reviewer": "lead", "disputed": "true"}),
    ({"verdict": "none", "without_sources": "on"}, {"verdict": "none", "has_sources": "false"}),
]


def _workspace(user, article, query) -> set[int]:
    client = Client()
    client.force_login(user)
    response = client.get(workspace_url(article), query)
    assert response.status_code == 200, response.content
    return {claim.pk for claim in response.context["listed"]}


def _api(user, article, query) -> set[int]:
    response = client_for(user).get(
        "/api/v1/claims/", {"article": article.slug, "page_size": 1000, **query}
    )
    assert response.status_code == 200, response.content
    return {item["id"] for item in response.json()["results"]}


@pytest.mark.parametrize("who", ["reviewer", "lead", "researcher"])
@pytest.mark.parametrize(("workspace_query", "api_query"), FILTERS)
def test_each_filter_keeps_the_same_claims_in_the_workspace_and_the_api(
    request, seed_article, claims, who, workspace_query, api_query
):
    user = request.getfixturevalue(who)

    assert _workspace(user, seed_article, workspace_query) == _api(user, seed_article, api_query)


@pytest.mark.parametrize("who", ["reviewer", "lead"])
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # Made or noted: reviewer1 made one claim and noted another.
        ({"reviewer": "reviewer1"}, {"made", "noted"}),
        ({"q": "Qatari"}, {"made"}),
        ({"verdict": "none"}, {"made", "noted"}),
        ({"has_sources": "false"}, {"made"}),
    ],
)
def test_what_the_filters_mean(request, seed_article, claims, who, query, expected):
    user = request.getfixturevalue(who)

    assert _api(user, seed_article, query) == {claims[name] for name in expected}


def test_independent_review_holds_in_the_reviewer_and_disputed_filters(
    seed_article, claims, reviewer, lead
):
    # reviewer1 has no note on the lead's claim, so reviewer2's note and the dispute on it
    # are hidden from them: neither filter may give them away.
    for see in (_workspace, _api):
        assert claims["hidden"] not in see(reviewer, seed_article, {"reviewer": "reviewer2"})
        assert claims["hidden"] in see(lead, seed_article, {"reviewer": "reviewer2"})
    assert _api(reviewer, seed_article, {"disputed": "true"}) == {claims["noted"]}
    assert _api(lead, seed_article, {"disputed": "true"}) == {claims["noted"], claims["hidden"]}
    assert claims["hidden"] in _api(reviewer, seed_article, {"disputed": "false"})
