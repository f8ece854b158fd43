"""The workspace after a new revision: claims at their placements, placements that need a
lead's review, and old revisions read through the revision switcher."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotate.models import SpanAnchor
from annotate.reanchoring.reanchor import revision_import
from annotate.roles import Role
from annotate.tests.factories import make_claim, make_note
from annotate.tests.revised_seed import CASUALTIES, KILLED, SEED, claims_across_a_revision
from annotate.tests.workspace_helpers import (
    claim_url,
    csrf_client,
    csrf_post,
    poll_url,
    workspace_url,
)
from conftest import _user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def revised(seed_article, reviewer):
    """Revision 2 adds a standfirst (every paragraph moves down one), orphans one span
    and places one by similarity."""
    return claims_across_a_revision(seed_article, reviewer)


def _killed_line(seed_article) -> dict:
    """A selection of revision 2's rewritten casualty line, where the orphan belongs."""
    current = seed_article.revisions.get(number=2).paragraphs.get(position=6)
    start = current.text.index(KILLED)
    return {"paragraph": current.pk, "start": start, "end": start + len(KILLED), "quote": KILLED}


def _paragraph_html(html: str, position: int) -> str:
    return re.search(rf'<p id="p{position}".*?</p>', html, re.S).group(0)


def _marks(paragraph_html: str) -> list[str]:
    return re.findall(r"<mark[^>]*>(.*?)</mark>", paragraph_html)


def test_highlights_follow_their_spans_into_the_new_revision(
    client, seed_article, revised, reviewer
):
    client.force_login(reviewer)

    html = client.get(workspace_url(seed_article)).content.decode()

    assert _marks(_paragraph_html(html, 4)) == ["Loud explosions"]
    assert _marks(_paragraph_html(html, 7)) == ["The attack came just as Hamas"]
    assert _marks(_paragraph_html(html, 3)) == []
    # The orphan has no place in the current text: no highlight, not in the list.
    assert "casualties" not in "".join(_marks(_paragraph_html(html, 6)))
    listed = set(map(int, re.findall(r'href="[^"]*/claims/(\d+)/"', html)))
    assert listed == {revised["moved"].pk, revised["fuzzy"].pk}


def test_a_placement_that_needs_review_is_marked_and_shows_old_and_new_text(
    client, seed_article, revised, reviewer
):
    client.force_login(reviewer)

    page = client.get(workspace_url(seed_article)).content.decode()
    panel = client.get(claim_url(seed_article, revised["fuzzy"])).content.decode()
    moved = client.get(claim_url(seed_article, revised["moved"])).content.decode()

    fuzzy_mark = re.search(r"<mark[^>]*>The attack came just as Hamas</mark>", page).group(0)
    assert "needs-review" in fuzzy_mark
    assert "placement needs review" in fuzzy_mark
    moved_mark = re.search(r"<mark[^>]*>Loud explosions</mark>", page).group(0)
    assert "needs-review" not in moved_mark
    assert "Placement needs review" in panel
    assert '<blockquote class="quote"><bdi>The attack came just as Hamas' in panel
    assert '<blockquote class="quote old">The attack comes just as Hamas</blockquote>' in panel
    assert "Made on revision 1" in panel
    assert "Confirm placement" not in panel  # reviewers don't confirm
    assert "Placement needs review" not in moved


def test_a_lead_confirms_a_placement(seed_article, revised, lead):
    client = csrf_client(lead)
    url = claim_url(seed_article, revised["fuzzy"])
    assert "Confirm placement" in client.get(url).content.decode()

    response = csrf_post(client, url + "placement/confirm/", {}, page=url)

    assert response.status_code == 200
    anchor = SpanAnchor.objects.get(span=revised["fuzzy"].span, revision__number=2)
    assert (anchor.needs_review, anchor.reviewed_by) == (False, lead)
    panel = response.content.decode()
    assert "Placement needs review" not in panel
    assert "needs-review" not in re.search(r'<p id="p7".*?</p>', panel, re.S).group(0)


def test_a_reviewer_cannot_confirm_a_placement(seed_article, revised, reviewer):
    client = csrf_client(reviewer)
    url = claim_url(seed_article, revised["fuzzy"])

    response = csrf_post(client, url + "placement/confirm/", {}, page=url)

    assert response.status_code == 403
    assert SpanAnchor.objects.get(span=revised["fuzzy"].span, revision__number=2).needs_review


def test_claims_on_moved_spans_can_be_written_and_the_highlight_is_redrawn(
    seed_article, revised, reviewer
):
    client = csrf_client(reviewer)
    claim = revised["moved"]
    url = claim_url(seed_article, claim)

    response = csrf_post(
        client,
        url + "note/",
        {"likelihood": 6, "analytic_confidence": "moderate", "rationale": ""},
        page=url,
    )

    assert response.status_code == 200
    assert 'id="p4"' in response.content.decode()  # the placed paragraph, out of band
    assert claim.notes.get().likelihood == 6


def test_an_orphans_claim_is_not_in_the_current_workspace(client, seed_article, revised, reviewer):
    client.force_login(reviewer)

    assert client.get(claim_url(seed_article, revised["orphan"])).status_code == 404


def test_the_revision_switcher_shows_an_old_text_with_its_claims_read_only(
    client, seed_article, revised, reviewer
):
    client.force_login(reviewer)

    html = client.get(workspace_url(seed_article), {"revision": 1}).content.decode()
    panel = client.get(claim_url(seed_article, revised["orphan"]), {"revision": 1})

    assert "revision 1" in html
    assert "an old text" in html
    assert _marks(_paragraph_html(html, 3)) == ["Loud explosions"]
    assert _marks(_paragraph_html(html, 5)) == [CASUALTIES]
    assert 'id="add-claim"' not in html
    assert '<input type="hidden" name="revision" value="1">' in html
    assert f"/claims/{revised['orphan'].pk}/?revision=1" in html
    assert panel.status_code == 200
    text = panel.content.decode()
    assert CASUALTIES in text
    for action in ("note/", "edit/", "verdict/", "sources/", "delete/"):
        assert f"/claims/{revised['orphan'].pk}/{action}" not in text


def test_the_current_revision_links_to_the_old_ones(client, seed_article, revised, reviewer):
    client.force_login(reviewer)

    html = client.get(workspace_url(seed_article)).content.decode()

    assert f'href="{workspace_url(seed_article)}?revision=1"' in html
    assert '<strong aria-current="page">2</strong>' in html
    assert "an old text" not in html


@pytest.mark.parametrize("value", ["0", "x"])
def test_a_bad_revision_is_a_400_naming_it(client, seed_article, revised, reviewer, value):
    client.force_login(reviewer)

    response = client.get(workspace_url(seed_article), {"revision": value})

    assert response.status_code == 400
    assert "'revision'" in response.content.decode()


def test_a_missing_revision_is_a_404(client, seed_article, revised, reviewer):
    client.force_login(reviewer)

    assert client.get(workspace_url(seed_article), {"revision": 9}).status_code == 404


def test_the_reviewer_filter_and_search_use_the_placed_claims(
    client, seed_article, revised, researcher, other_reviewer
):
    make_note(claim=revised["fuzzy"], likelihood=3, user=other_reviewer)
    client.force_login(researcher)

    html = client.get(workspace_url(seed_article), {"q": "attack came"}).content.decode()
    by_other = client.get(workspace_url(seed_article), {"reviewer": "reviewer2"}).content.decode()

    assert ">reviewer2</option>" in by_other
    listed = set(map(int, re.findall(r'<li><a href="[^"]*/claims/(\d+)/', by_other)))
    assert listed == {revised["fuzzy"].pk}
    listed = set(map(int, re.findall(r'<li><a href="[^"]*/claims/(\d+)/', html)))
    assert listed == {revised["fuzzy"].pk}


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_page_and_panel_queries_stay_constant_with_moved_claims(seed_article, reviewer):
    client = csrf_client(reviewer)
    first = {p.position: p for p in seed_article.revisions.get().paragraphs.all()}
    claim = make_claim(paragraph=first[3], quote="Loud explosions", user=reviewer)
    revision_import(article=seed_article, paragraphs=["A new standfirst.", *SEED])
    few_page = _queries(client, workspace_url(seed_article))
    few_panel = _queries(client, claim_url(seed_article, claim))

    second = seed_article.revisions.get(number=2).paragraphs.all()
    for paragraph in second:
        for word in paragraph.text.split()[:5]:
            make_claim(paragraph=paragraph, quote=word, user=reviewer)
    revision_import(article=seed_article, paragraphs=["Another standfirst.", *SEED])

    assert _queries(client, workspace_url(seed_article)) == few_page
    assert _queries(client, claim_url(seed_article, claim)) == few_panel


def test_leads_see_orphans_with_their_claims_and_old_text(
    client, seed_article, revised, lead, reviewer
):
    client.force_login(lead)
    html = client.get(workspace_url(seed_article)).content.decode()
    client.force_login(reviewer)
    reviewers_html = client.get(workspace_url(seed_article)).content.decode()

    orphans = re.search(r'<section id="orphans" class="orphans".*?</section>', html, re.S).group(0)
    assert "Orphans" in orphans
    assert f'data-span-id="{revised["orphan"].span_id}"' in orphans
    assert f'<blockquote class="quote old">{CASUALTIES}</blockquote>' in orphans
    assert "Made on revision 1, ¶5" in orphans
    assert f"/claims/{revised['orphan'].pk}/?revision=1" in orphans
    assert 'class="orphans"' not in reviewers_html


def _reattach(client, seed_article, span, data):
    url = f"{workspace_url(seed_article)}orphans/{span.pk}/reattach/"
    return csrf_post(client, url, data, htmx=False, page=workspace_url(seed_article))


def test_a_lead_reattaches_an_orphan_and_its_claim_is_highlighted_again(
    seed_article, revised, lead
):
    client = csrf_client(lead)
    data = _killed_line(seed_article)

    response = _reattach(client, seed_article, revised["orphan"].span, data)

    assert response.status_code == 302
    assert response["Location"] == claim_url(seed_article, revised["orphan"])
    html = client.get(workspace_url(seed_article)).content.decode()
    assert KILLED in _marks(_paragraph_html(html, 6))
    assert re.search(r'<section id="orphans" class="orphans"[^>]* hidden', html)
    assert "Made on revision 1, ¶5" not in html


def test_a_poll_brings_a_lead_the_orphans_list_after_another_lead_reattaches(
    seed_article, revised, lead
):
    client = csrf_client(lead)
    page = client.get(workspace_url(seed_article)).content.decode()
    assert "Made on revision 1, ¶5" in page
    poll = poll_url(page)
    another = csrf_client(_user_with_role("lead2", Role.LEAD))
    data = _killed_line(seed_article)
    assert _reattach(another, seed_article, revised["orphan"].span, data).status_code == 302

    html = client.get(poll, headers={"HX-Request": "true"}).content.decode()

    assert re.search(r'<section id="orphans" class="orphans"[^>]* hidden hx-swap-oob="true"', html)
    assert "Made on revision 1, ¶5" not in html


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"start": "x"}, "Start"),
        ({"quote": "Not the text"}, "Quote"),
        ({"paragraph": 0}, "Paragraph"),
    ],
)
def test_a_bad_reattachment_names_the_field_and_changes_nothing(
    seed_article, revised, lead, change, field
):
    client = csrf_client(lead)
    data = _killed_line(seed_article)

    response = _reattach(client, seed_article, revised["orphan"].span, {**data, **change})

    assert response.status_code == 422
    assert f'<p class="notice" role="alert">{field}:' in response.content.decode()
    assert not SpanAnchor.objects.filter(
        span=revised["orphan"].span, paragraph__isnull=False, revision__number=2
    ).exists()


def test_a_reviewer_cannot_reattach(seed_article, revised, reviewer):
    client = csrf_client(reviewer)
    data = _killed_line(seed_article)

    response = _reattach(client, seed_article, revised["orphan"].span, data)

    assert response.status_code == 403
