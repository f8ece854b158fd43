"""History in the workspace: the claim panel's timeline, a lead's deleted claims and
restore, and the poll that brings in others' changes."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotate import services
from annotate.models import Claim
from annotate.tests.factories import make_citation, make_claim, make_note
from annotate.tests.workspace_helpers import (
    claim_url,
    csrf_client,
    csrf_post,
    paragraph,
    poll_url,
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
        make_citation(claim=claim, user=reviewer, title=f"Source {n}")
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
    return poll_url(client.get(workspace_url(article)).content.decode())


def test_a_poll_with_nothing_changed_is_204_after_one_query(seed_article, claim, reviewer):
    client = csrf_client(reviewer)
    url = _poll_url(client, seed_article)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, headers={"HX-Request": "true"})

    assert response.status_code == 204
    assert response.content == b""
    # The session and its user; their permissions, in one query (independent review:
    # whether notes are hidden from them); then the stamp.
    assert len(queries) == 4
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
    make_citation(claim=claim, user=other_reviewer)
    assert client.get(url).status_code == 200

    url = _poll_url(client, seed_article)
    services.claim_delete(claim=claim, user=reviewer)
    assert client.get(url).status_code == 200


def test_the_timeline_names_people_and_choices_not_ids(seed_article, claim, reviewer, lead):
    services.claim_set_verdict(claim=claim, verdict="mixed", rationale="Both ways", user=lead)

    html = csrf_client(reviewer).get(claim_url(seed_article, claim)).content.decode()

    history = html[html.index('<details class="block history">') :]
    assert "<li>Verdict by: <del>—</del> → <ins>lead</ins></li>" in history
    assert "<li>Verdict: <del>—</del> → <ins>Mixed</ins></li>" in history
    assert f"<ins>{lead.pk}</ins>" not in history


@pytest.fixture
def deleted_evidence(claim, reviewer, other_reviewer):
    source = make_citation(claim=claim, user=reviewer, title="<b>Wire</b>")
    services.citation_delete(citation=source, user=reviewer)
    note = make_note(claim=claim, likelihood=2, user=other_reviewer)
    services.confidence_note_delete(note=note, user=other_reviewer)
    return source, note


def test_a_leads_panel_lists_deleted_citations_and_notes_to_restore(
    seed_article, claim, deleted_evidence, reviewer, lead
):
    source, note = deleted_evidence
    base = f"/articles/{seed_article.slug}/"

    html = csrf_client(lead).get(claim_url(seed_article, claim)).content.decode()
    theirs = csrf_client(reviewer).get(claim_url(seed_article, claim)).content.decode()

    listed = html[html.index('aria-labelledby="deleted-evidence-title"') :]
    assert "Citation of “&lt;b&gt;Wire&lt;/b&gt;”" in listed
    assert "reviewer2’s note: Very unlikely (5–20%), analytic confidence moderate" in listed
    assert f'hx-post="{base}citations/{source.pk}/restore/"' in listed
    assert f'hx-post="{base}notes/{note.pk}/restore/"' in listed
    assert "deleted-evidence-title" not in theirs


def test_a_lead_restores_a_citation_in_the_panel(seed_article, claim, deleted_evidence, lead):
    source, _ = deleted_evidence
    client = csrf_client(lead)

    response = csrf_post(
        client, f"/articles/{seed_article.slug}/citations/{source.pk}/restore/", {}
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="citation-{source.pk}"' in html
    assert 'id="counters"' in html  # out of band: "without sources" may change
    assert f"citations/{source.pk}/restore/" not in html
    assert client.get(claim_url(seed_article, claim)).status_code == 200


def test_a_note_restore_without_htmx_redirects_to_the_claim(
    seed_article, claim, deleted_evidence, lead
):
    _, note = deleted_evidence
    url = f"/articles/{seed_article.slug}/notes/{note.pk}/restore/"

    response = csrf_post(csrf_client(lead), url, {}, htmx=False)

    assert response.status_code == 302
    assert response["Location"] == claim_url(seed_article, claim)
    assert claim.notes.filter(pk=note.pk).exists()


def test_a_restore_refused_by_the_rules_shows_why_in_the_panel(
    seed_article, claim, deleted_evidence, other_reviewer, lead
):
    _, note = deleted_evidence
    make_note(claim=claim, likelihood=5, user=other_reviewer)
    client = csrf_client(lead)
    panel = client.get(claim_url(seed_article, claim)).content.decode()
    assert "recorded another note since" in panel

    response = csrf_post(client, f"/articles/{seed_article.slug}/notes/{note.pk}/restore/", {})

    assert response.status_code == 409
    assert "Has recorded another note on this claim since" in response.content.decode()


def test_only_leads_restore_citations_and_notes_with_the_csrf_token(
    seed_article, claim, deleted_evidence, reviewer, lead
):
    source, note = deleted_evidence
    base = f"/articles/{seed_article.slug}/"
    for url in (f"{base}citations/{source.pk}/restore/", f"{base}notes/{note.pk}/restore/"):
        assert csrf_post(csrf_client(reviewer), url, {}).status_code == 403
        assert csrf_client(lead).post(url).status_code == 403  # no CSRF token
    assert csrf_post(csrf_client(lead), f"{base}citations/999999/restore/", {}).status_code == 404
    assert not claim.citations.filter(pk=source.pk).exists()


def test_deleting_a_claim_in_the_page_updates_a_leads_deleted_list(seed_article, claim, lead):
    client = csrf_client(lead)
    url = f"{claim_url(seed_article, claim)}delete/"

    response = csrf_post(client, url, {}, page=workspace_url(seed_article))

    html = response.content.decode()
    oob = r'<section id="deleted-claims"[^>]*hx-swap-oob="true".*?</section>'
    deleted = re.search(oob, html, re.S)
    assert deleted is not None
    assert f"claims/{claim.pk}/restore/" in deleted.group(0)


def test_a_reviewers_delete_brings_no_deleted_list(seed_article, claim, reviewer):
    response = csrf_post(csrf_client(reviewer), f"{claim_url(seed_article, claim)}delete/", {})

    assert response.status_code == 200
    assert "deleted-claims" not in response.content.decode()


def test_a_poll_after_a_delete_brings_a_lead_the_deleted_list(seed_article, claim, reviewer, lead):
    client = csrf_client(lead)
    url = _poll_url(client, seed_article)
    services.claim_delete(claim=claim, user=reviewer)

    html = client.get(url, headers={"HX-Request": "true"}).content.decode()

    assert re.search(r'<section id="deleted-claims"[^>]*hx-swap-oob="true"', html)
    assert f"claims/{claim.pk}/restore/" in html
