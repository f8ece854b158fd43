"""History in the workspace: the claim panel's timeline, a lead's deleted claims and
restore, and the poll that brings in others' changes."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotate import services
from annotate.models import Claim
from annotate.tests.factories import make_claim, make_source
from annotate.tests.workspace_helpers import (
    claim_url,
    csrf_client,
    csrf_post,
    paragraph,
    workspace_url,
)

pytestmark = pytest.mark.django_db

QUOTE = "specifically targeted the negotiation team"


@pytest.fixture
def claim(seed_article, reviewer):
    return make_claim(paragraph=paragraph(seed_article, 6), quote=QUOTE, user=reviewer)


def test_the_panel_shows_the_claims_history_escaped(seed_article, claim, reviewer):
    services.claim_update(claim=claim, user=reviewer, statement="<b>bold</b> rewrite")

    html = csrf_client(reviewer).get(claim_url(seed_article, claim)).content.decode()

    history = html[html.index('<details class="block history">') :]
    assert "<strong>reviewer1</strong> changed the claim" in history
    assert "<ins>&lt;b&gt;bold&lt;/b&gt; rewrite</ins>" in history
    assert f"<del>{QUOTE}</del>" in history
    assert "<b>bold</b>" not in html


def test_opening_a_claim_takes_the_same_queries_however_long_its_history(
    seed_article, claim, reviewer
):
    client = csrf_client(reviewer)
    url = claim_url(seed_article, claim)
    client.get(url)
    with CaptureQueriesContext(connection) as short:
        client.get(url)
    for n in range(10):
        services.claim_update(claim=claim, user=reviewer, statement=f"Version {n}")
        make_source(claim=claim, user=reviewer, title=f"Source {n}")
    with CaptureQueriesContext(connection) as long:
        client.get(url)
    assert len(long) == len(short)


def test_a_lead_sees_deleted_claims_and_restores_one(seed_article, claim, reviewer, lead):
    services.claim_delete(claim=claim, user=reviewer)
    client = csrf_client(lead)

    page = client.get(workspace_url(seed_article)).content.decode()
    assert 'aria-labelledby="deleted-title"' in page
    assert f'action="/articles/{seed_article.slug}/claims/{claim.pk}/restore/"' in page

    response = csrf_post(client, f"{claim_url(seed_article, claim)}restore/", {}, htmx=False)

    assert response.status_code == 302
    assert response["Location"] == claim_url(seed_article, claim)
    assert Claim.objects.get(pk=claim.pk).statement == QUOTE
    opened = client.get(response["Location"]).content.decode()
    assert "<strong>lead</strong> restored the claim" in opened


def test_reviewers_see_no_deleted_list_and_may_not_restore(seed_article, claim, reviewer):
    services.claim_delete(claim=claim, user=reviewer)
    client = csrf_client(reviewer)

    assert "deleted-title" not in client.get(workspace_url(seed_article)).content.decode()
    response = csrf_post(client, f"{claim_url(seed_article, claim)}restore/", {}, htmx=False)
    assert response.status_code == 403
    assert not Claim.objects.filter(pk=claim.pk).exists()


def test_restoring_needs_the_csrf_token(seed_article, claim, reviewer, lead):
    services.claim_delete(claim=claim, user=reviewer)
    response = csrf_client(lead).post(f"{claim_url(seed_article, claim)}restore/")
    assert response.status_code == 403
    assert not Claim.objects.filter(pk=claim.pk).exists()


def test_restoring_a_claim_that_is_not_deleted_is_404(seed_article, claim, lead):
    client = csrf_client(lead)
    response = csrf_post(client, f"{claim_url(seed_article, claim)}restore/", {}, htmx=False)
    assert response.status_code == 404


def _poll_url(client, article) -> str:
    page = client.get(workspace_url(article)).content.decode()
    return re.search(r'id="live" hidden hx-get="([^"]+)"', page).group(1).replace("&amp;", "&")


def test_a_poll_with_nothing_changed_is_204_after_one_query(seed_article, claim, reviewer):
    client = csrf_client(reviewer)
    url = _poll_url(client, seed_article)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, headers={"HX-Request": "true"})

    assert response.status_code == 204
    assert response.content == b""
    # The session and its user, then the stamp.
    assert len(queries) == 3
    assert "claim" in queries[-1]["sql"].lower()


def test_a_poll_after_a_change_brings_paragraphs_counters_and_a_new_poller(
    seed_article, claim, reviewer, other_reviewer
):
    client = csrf_client(reviewer)
    url = _poll_url(client, seed_article)
    make_claim(paragraph=paragraph(seed_article, 2), quote="Israel struck", user=other_reviewer)

    response = client.get(url, headers={"HX-Request": "true"})

    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r'<p id="p2" [^>]*hx-swap-oob="true"', html)
    assert 'id="counters"' in html
    assert "<strong>2</strong> claims" in html
    new_url = re.search(r'id="live" hidden hx-get="([^"]+)"', html).group(1)
    assert new_url.replace("&amp;", "&") != url
    assert client.get(new_url.replace("&amp;", "&")).status_code == 204
    assert "<form" not in html  # nothing that could replace a form being typed into


def test_a_source_added_or_a_claim_deleted_changes_the_stamp(
    seed_article, claim, reviewer, other_reviewer
):
    client = csrf_client(reviewer)
    url = _poll_url(client, seed_article)
    make_source(claim=claim, user=other_reviewer)
    assert client.get(url).status_code == 200

    url = _poll_url(client, seed_article)
    services.claim_delete(claim=claim, user=reviewer)
    assert client.get(url).status_code == 200
