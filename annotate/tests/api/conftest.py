"""API test fixtures: a token client per role, a fresh throttle budget per test, and a
claim of each reviewer's on the seed report."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from annotate.api.tokens import token_for
from annotate.models import Likelihood
from annotate.tests.factories import make_citation, make_claim, make_note


@pytest.fixture(autouse=True)
def _fresh_throttle_budget(request):
    # Throttle counters live in the shared cache, a database table: clear it so no test
    # spends another's budget (a transactional test's rows outlive it). A test without the
    # database has no budget to spend.
    database_fixtures = {"db", "transactional_db"} & set(request.fixturenames)
    if not (database_fixtures or request.node.get_closest_marker("django_db")):
        yield
        return
    request.getfixturevalue("db")
    cache.clear()
    yield
    cache.clear()


def client_for(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(user).key}")
    return client


@pytest.fixture
def anonymous() -> APIClient:
    return APIClient()


@pytest.fixture
def paragraph(seed_article):
    return seed_article.revisions.get().paragraphs.get(position=6)


@pytest.fixture
def claim(paragraph, reviewer):
    """reviewer1's claim, with a citation of theirs and their confidence note."""
    claim = make_claim(
        paragraph=paragraph,
        quote="the strike specifically targeted the negotiation team",
        user=reviewer,
    )
    make_citation(claim=claim, user=reviewer)
    make_note(claim=claim, likelihood=Likelihood.LIKELY, user=reviewer)
    return claim
