"""Linking claims in the workspace: from the claim panel (search, pick, link, remove),
shown on both claims; the Contradictions page; a lead's offer to give a "same claim as"
claim the same verdict."""

from __future__ import annotations

import pytest

from annotate import relations, services
from annotate.models import ClaimRelation, Verdict
from annotate.tests.factories import make_note
from annotate.tests.relation_helpers import CONFLICTING, NOT_KILLED, UNKNOWN, seed_claims
from annotate.tests.workspace_helpers import claim_url, csrf_client, csrf_post
from annotate.versioning import version_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(seed_article, reviewer):
    return seed_claims(seed_article, reviewer, NOT_KILLED, CONFLICTING)


def _link_url(article, claim) -> str:
    return f"/articles/{article.slug}/claims/{claim.pk}/links/"


def test_a_reviewer_links_two_claims_from_the_panel_and_both_show_it(seed_article, pair, reviewer):
    a, b = pair
    client = csrf_client(reviewer)
    data = {"type": "contradicts", "to_claim": b.pk, "rationale": "Killed or not"}
    response = csrf_post(client, _link_url(seed_article, a), data)

    assert response.status_code == 200
    relation = ClaimRelation.objects.get()
    assert (relation.from_claim_id, relation.to_claim_id, relation.type) == (
        a.pk,
        b.pk,
        "contradicts",
    )
    assert relation.created_by == reviewer
    for claim, other in ((a, b), (b, a)):
        page = client.get(claim_url(seed_article, claim)).content.decode()
        assert "Contradicts:" in page
        assert other.statement in page
        assert "Killed or not" in page


def test_has_as_a_part_stores_the_other_claim_as_the_part(seed_article, pair, reviewer):
    a, b = pair
    data = {"type": "has_part", "to_claim": b.pk}
    csrf_post(csrf_client(reviewer), _link_url(seed_article, a), data)

    relation = ClaimRelation.objects.get()
    assert (relation.from_claim_id, relation.to_claim_id, relation.type) == (b.pk, a.pk, "part_of")
    client = csrf_client(reviewer)
    assert "Has as a part:" in client.get(claim_url(seed_article, a)).content.decode()
    assert "Part of:" in client.get(claim_url(seed_article, b)).content.decode()


def test_a_refused_link_is_a_422_naming_the_field_and_writes_nothing(seed_article, pair, reviewer):
    a, _ = pair
    data = {"type": "contradicts", "to_claim": a.pk}
    response = csrf_post(csrf_client(reviewer), _link_url(seed_article, a), data)

    assert response.status_code == 422
    assert 'id="link_to_claim_error"' in response.content.decode()
    assert not ClaimRelation.objects.exists()


def test_a_researcher_may_not_link_claims(seed_article, pair, researcher):
    a, b = pair
    client = csrf_client(researcher)
    assert "Link to another claim" not in client.get(claim_url(seed_article, a)).content.decode()
    response = csrf_post(client, _link_url(seed_article, a), {"type": "same_as", "to_claim": b.pk})
    assert response.status_code == 403
    assert not ClaimRelation.objects.exists()


def test_the_search_narrows_the_claims_to_pick_from_without_scripts(seed_article, pair, reviewer):
    a, b = pair
    (c,) = seed_claims(seed_article, reviewer, UNKNOWN)
    client = csrf_client(reviewer)
    # The panel reads the claims to pick from only when the link form is opened.
    panel = client.get(claim_url(seed_article, a)).content.decode()
    assert "Search for the other claim first" in panel
    unopened = panel[panel.index('id="link-picker"') :]
    assert f'<option value="{b.pk}"' not in unopened[: unopened.index("</div>")]
    url = f"/articles/{seed_article.slug}/claims/{a.pk}/links/search/?link_q=Saudi"
    page = client.get(url).content.decode()  # the whole page, the link form open
    picker = page[page.index('id="link-picker"') :]
    picker = picker[: picker.index("</select>")]
    assert f'value="{b.pk}"' in picker
    assert f'value="{c.pk}"' not in picker
    assert f'value="{a.pk}"' not in picker  # never the claim itself

    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert fragment.startswith('<div id="link-picker">')
    assert f'value="{b.pk}"' in fragment
    nothing = client.get(url + "zzz", headers={"HX-Request": "true"}).content.decode()
    assert "No other claim matches the search" in nothing


def test_the_owner_or_a_lead_removes_a_link_not_another_reviewer(
    seed_article, pair, reviewer, other_reviewer, lead
):
    a, b = pair
    relation = relations.relation_create(from_claim=a, to_claim=b, type="same_as", user=reviewer)
    url = f"/articles/{seed_article.slug}/links/{relation.pk}/delete/"
    data = {"claim": b.pk, "version": version_of(relation)}

    other = csrf_client(other_reviewer)
    assert "Remove the link" not in other.get(claim_url(seed_article, a)).content.decode()
    assert csrf_post(other, url, data).status_code == 403
    assert "Remove the link" in csrf_client(lead).get(claim_url(seed_article, a)).content.decode()
    response = csrf_post(csrf_client(lead), url, data)
    assert response.status_code == 200
    assert f'data-claim-id="{b.pk}"' in response.content.decode()
    assert not ClaimRelation.objects.exists()


def test_removing_a_stale_link_is_a_409(seed_article, pair, reviewer):
    a, b = pair
    relation = relations.relation_create(from_claim=a, to_claim=b, type="same_as", user=reviewer)
    old = version_of(relation)
    relations.relation_update(relation=relation, rationale="Reworded", user=reviewer)
    url = f"/articles/{seed_article.slug}/links/{relation.pk}/delete/"
    response = csrf_post(csrf_client(reviewer), url, {"claim": a.pk, "version": old})
    assert response.status_code == 409
    assert ClaimRelation.objects.exists()


def test_the_history_timeline_shows_the_link(seed_article, pair, reviewer):
    a, b = pair
    relations.relation_create(from_claim=a, to_claim=b, type="corroborates", user=reviewer)
    page = csrf_client(reviewer).get(claim_url(seed_article, b)).content.decode()
    assert "created the relation" in page


# The Contradictions page.


def _contradictions(client, article) -> str:
    response = client.get(f"/articles/{article.slug}/contradictions/")
    assert response.status_code == 200
    return response.content.decode()


def _set_verdicts(lead, *claims, verdict=Verdict.SUPPORTED):
    for claim in claims:
        services.claim_set_verdict(claim=claim, verdict=verdict, rationale="Checked", user=lead)


def test_contradicting_pairs_are_listed_side_by_side(seed_article, pair, reviewer, lead):
    a, b = pair
    (c,) = seed_claims(seed_article, reviewer, UNKNOWN)
    relations.relation_create(from_claim=a, to_claim=b, type="contradicts", user=reviewer)
    relations.relation_create(from_claim=a, to_claim=c, type="corroborates", user=reviewer)
    _set_verdicts(lead, a, verdict=Verdict.MOSTLY_SUPPORTED)

    page = _contradictions(csrf_client(reviewer), seed_article)
    assert page.count('<li class="pair') == 1
    assert a.statement in page
    assert b.statement in page
    assert c.statement not in page  # corroborating, not contradicting
    assert "Mostly supported" in page
    assert "Not adjudicated" in page
    assert "Both supported" not in page


def test_a_pair_with_both_claims_supported_is_flagged_first(seed_article, pair, reviewer, lead):
    a, b = pair
    (c,) = seed_claims(seed_article, reviewer, UNKNOWN)
    relations.relation_create(from_claim=a, to_claim=c, type="contradicts", user=reviewer)
    both = relations.relation_create(from_claim=a, to_claim=b, type="contradicts", user=reviewer)
    _set_verdicts(lead, a, b)

    page = _contradictions(csrf_client(lead), seed_article)
    assert 'id="both-supported-count"' in page
    assert page.index(f'id="pair-{both.pk}"') < page.index('class="pair"')  # flagged first
    assert page.count('class="pair both-supported"') == 1


def test_confidence_follows_independent_review(seed_article, pair, reviewer, other_reviewer, lead):
    a, b = pair
    relations.relation_create(from_claim=a, to_claim=b, type="contradicts", user=reviewer)
    make_note(claim=a, likelihood=2, user=other_reviewer)
    make_note(claim=a, likelihood=6, user=lead)

    assert seed_article.independent_review
    blind = _contradictions(csrf_client(reviewer), seed_article)
    assert blind.count("Independent review: record your own note") == 2
    assert "2 notes" not in blind
    assert "2 notes, median 4" in _contradictions(csrf_client(lead), seed_article)

    make_note(claim=a, likelihood=5, user=reviewer)
    judged = _contradictions(csrf_client(reviewer), seed_article)
    assert "3 notes, median 5" in judged
    assert judged.count("Independent review: record your own note") == 1  # b, not judged


def test_the_workspace_and_article_list_link_to_the_contradictions(seed_article, reviewer):
    client = csrf_client(reviewer)
    url = f"/articles/{seed_article.slug}/contradictions/"
    assert f'href="{url}"' in client.get(f"/articles/{seed_article.slug}/").content.decode()
    assert f'href="{url}"' in client.get("/").content.decode()


# A verdict on a claim that is the same claim as another.


def test_a_lead_is_offered_the_verdict_for_the_same_claim_and_applies_it(
    seed_article, pair, reviewer, lead
):
    a, b = pair
    relations.relation_create(from_claim=a, to_claim=b, type="same_as", user=reviewer)
    a.refresh_from_db()
    client = csrf_client(lead)
    data = {"verdict": "unsupported", "rationale": "No body", "version": version_of(a)}
    response = csrf_post(client, f"/articles/{seed_article.slug}/claims/{a.pk}/verdict/", data)
    panel = response.content.decode()
    assert "Also apply to the same claim:" in panel
    assert f'action="/articles/{seed_article.slug}/claims/{b.pk}/verdict/"' in panel
    b.refresh_from_db()
    assert b.verdict == ""  # offered, never applied silently

    # The offer is a normal adjudication of b, its rationale prefilled from a's.
    assert f'id="same{b.pk}_rationale"' in panel
    assert "No body</textarea>" in panel
    assert f'value="{version_of(b)}"' in panel  # its own version: a stale b is refused
    data = {"verdict": "unsupported", "rationale": "No body", "version": version_of(b)}
    response = csrf_post(client, f"/articles/{seed_article.slug}/claims/{b.pk}/verdict/", data)
    assert response.status_code == 200
    b.refresh_from_db()
    assert (b.verdict, b.verdict_by, b.verdict_rationale) == ("unsupported", lead, "No body")
    # Both agree now: no more offer either way.
    page = client.get(claim_url(seed_article, a)).content.decode()
    assert "Also apply to the same claim:" not in page


def test_no_offer_for_other_relations_nor_for_reviewers(seed_article, pair, reviewer, lead):
    a, b = pair
    relations.relation_create(from_claim=a, to_claim=b, type="corroborates", user=reviewer)
    _set_verdicts(lead, a)
    assert "Also apply" not in csrf_client(lead).get(claim_url(seed_article, a)).content.decode()
    relations.relation_create(from_claim=a, to_claim=b, type="same_as", user=reviewer)
    assert "Also apply" in csrf_client(lead).get(claim_url(seed_article, a)).content.decode()
    page = csrf_client(reviewer).get(claim_url(seed_article, a)).content.decode()
    assert "Also apply" not in page
