"""Independent review in the workspace: a reviewer sees neither others' notes on a claim
nor any summary of them (range, disputed state, filter, counters) before their own note."""

from __future__ import annotations

import re

import pytest

from annotate.models import Likelihood
from annotate.tests.factories import UserFactory, make_claim, make_note
from annotate.tests.workspace_helpers import claim_url, paragraph, workspace_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def disputed(seed_article, other_reviewer, lead):
    """A claim two others disagree on (very unlikely vs very likely)."""
    claim = make_claim(
        paragraph=paragraph(seed_article, 2), quote="Israel struck", user=other_reviewer
    )
    make_note(
        claim=claim, likelihood=Likelihood.VERY_UNLIKELY, rationale="Denied.", user=other_reviewer
    )
    make_note(claim=claim, likelihood=Likelihood.VERY_LIKELY, rationale="Confirmed.", user=lead)
    return claim


def _mark(html: str) -> str:
    return re.search(r"<mark[^>]*>Israel struck</mark>", html).group(0)


def test_a_reviewer_sees_no_others_notes_before_their_own(client, seed_article, disputed, reviewer):
    client.force_login(reviewer)

    page = client.get(workspace_url(seed_article)).content.decode()
    panel = client.get(claim_url(seed_article, disputed)).content.decode()

    assert "hl-disputed" not in _mark(page)
    assert "hl-open" in _mark(page)
    assert "<strong>0</strong> disputed" in page
    assert "Independent review: record your own note" in panel
    for hidden in (
        "Denied.",
        "Confirmed.",
        "<strong>lead</strong>",  # the lead only left a note: not even their name shows
        "Reviewers disagree",
        'class="strip"',
    ):
        assert hidden not in panel
    assert 'class="badge hl-open">Not adjudicated' in panel


def test_after_their_own_note_they_see_everything(client, seed_article, disputed, reviewer):
    make_note(claim=disputed, likelihood=Likelihood.LIKELY, user=reviewer)
    client.force_login(reviewer)

    page = client.get(workspace_url(seed_article)).content.decode()
    panel = client.get(claim_url(seed_article, disputed)).content.decode()

    assert "hl-disputed" in _mark(page)
    assert "<strong>1</strong> disputed" in page
    assert "Denied." in panel
    assert "Confirmed." in panel
    assert "Reviewers disagree" in panel
    assert "Independent review" not in panel


def test_recording_a_note_in_the_panel_reveals_the_others(seed_article, disputed, reviewer):
    from annotate.tests.workspace_helpers import csrf_client, csrf_post

    client = csrf_client(reviewer)
    url = claim_url(seed_article, disputed)

    response = csrf_post(
        client,
        url + "note/",
        {"likelihood": 5, "analytic_confidence": "moderate", "rationale": ""},
        page=url,
    )

    html = response.content.decode()
    assert "Denied." in html
    assert "Reviewers disagree" in html
    assert "hl-disputed" in re.search(r'<p id="p2".*?</p>', html, re.S).group(0)


@pytest.mark.parametrize("who", ["lead", "researcher"])
def test_leads_and_researchers_see_everything(client, seed_article, disputed, request, who):
    client.force_login(request.getfixturevalue(who))

    page = client.get(workspace_url(seed_article)).content.decode()
    panel = client.get(claim_url(seed_article, disputed)).content.decode()

    assert "hl-disputed" in _mark(page)
    assert "Denied." in panel
    assert "Reviewers disagree" in panel


def test_without_independent_review_reviewers_see_everything(
    client, seed_article, disputed, reviewer
):
    seed_article.independent_review = False
    seed_article.save()
    client.force_login(reviewer)

    panel = client.get(claim_url(seed_article, disputed)).content.decode()

    assert "Denied." in panel
    assert "Reviewers disagree" in panel


def _listed(html: str) -> set[int]:
    return set(map(int, re.findall(r'<li><a href="[^"]*/claims/(\d+)/', html)))


def test_the_disputed_and_reviewer_filters_do_not_leak(client, seed_article, disputed, reviewer):
    client.force_login(reviewer)

    by_disputed = client.get(workspace_url(seed_article), {"disputed": "on"}).content.decode()
    by_lead = client.get(workspace_url(seed_article), {"reviewer": "lead"}).content.decode()

    assert _listed(by_disputed) == set()
    assert _listed(by_lead) == set()
    assert ">lead</option>" not in by_lead

    make_note(claim=disputed, likelihood=Likelihood.LIKELY, user=reviewer)
    by_disputed = client.get(workspace_url(seed_article), {"disputed": "on"}).content.decode()
    by_lead = client.get(workspace_url(seed_article), {"reviewer": "lead"}).content.decode()
    assert _listed(by_disputed) == {disputed.pk}
    assert _listed(by_lead) == {disputed.pk}


def test_the_article_list_counts_only_what_the_reviewer_may_know(
    client, seed_article, disputed, reviewer, lead
):
    client.force_login(reviewer)
    hidden = client.get("/").context["articles"]
    client.force_login(lead)
    shown = client.get("/").context["articles"]

    assert [a.disputed_count for a in hidden] == [0]
    assert [a.disputed_count for a in shown] == [1]


def test_a_lead_edits_independent_review_in_the_admin(client, seed_article, lead):
    lead.is_staff = True
    lead.save()
    client.force_login(lead)

    response = client.get(f"/admin/articles/article/{seed_article.pk}/change/")

    form = response.context["adminform"].form
    assert "independent_review" in form.fields
    assert form.initial["independent_review"] is True


def test_the_article_list_counts_only_reviewers_whose_notes_they_see(
    client, seed_article, disputed, reviewer, lead
):
    def reviewers_as(user) -> list[int]:
        client.force_login(user)
        return [a.reviewer_count for a in client.get("/").context["articles"]]

    assert reviewers_as(reviewer) == [0]  # the two notes on the claim are hidden from them
    assert reviewers_as(lead) == [2]

    make_note(claim=disputed, likelihood=Likelihood.LIKELY, user=reviewer)
    assert reviewers_as(reviewer) == [3]


def test_an_account_without_a_role_reads_blind(client, seed_article, disputed):
    client.force_login(UserFactory(username="visitor"))

    page = client.get(workspace_url(seed_article)).content.decode()
    panel = client.get(claim_url(seed_article, disputed)).content.decode()
    articles = client.get("/").context["articles"]

    assert "hl-disputed" not in _mark(page)
    assert "Denied." not in panel
    assert "Confirmed." not in panel
    assert [(a.disputed_count, a.reviewer_count) for a in articles] == [(0, 0)]
    assert client.get(f"/articles/{seed_article.slug}/agreement/").status_code == 403


def test_a_note_hidden_from_a_reviewer_leaves_their_panels_version(
    client, seed_article, disputed, reviewer, lead
):
    def version_as(user) -> str:
        client.force_login(user)
        return client.get(claim_url(seed_article, disputed)).context["claim_version"]

    blind, leading = version_as(reviewer), version_as(lead)

    make_note(claim=disputed, likelihood=Likelihood.UNLIKELY, user=lead)

    assert version_as(reviewer) == blind
    assert version_as(lead) != leading
