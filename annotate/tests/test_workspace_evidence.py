from __future__ import annotations

import pytest

from annotate import services
from annotate.models import Citation, ConfidenceNote, Source
from annotate.tests.factories import make_citation, make_claim, make_note
from annotate.tests.workspace_helpers import claim_url, csrf_client, csrf_post, paragraph
from annotate.versioning import version_of

pytestmark = pytest.mark.django_db

SOURCE = {
    "url": "https://www.aljazeera.com/news/2025/9/9/israel-strikes-doha",
    "title": "Israel attacks Hamas leaders in Qatar",
    "publisher": "Al Jazeera",
    "excerpt": "A Hamas source said the negotiating team survived.",
    "stance": "supports",
    "reliability": "B",
    "credibility": "2",
}
CITATION = {"excerpt": "Says otherwise.", "stance": "refutes", "credibility": "4"}


@pytest.fixture
def claim(seed_article, reviewer):
    return make_claim(paragraph=paragraph(seed_article, 2), quote="Israel struck", user=reviewer)


def _new(seed_article, claim) -> str:
    return f"/articles/{seed_article.slug}/claims/{claim.pk}/citations/"


def test_a_reviewer_cites_a_new_source(seed_article, reviewer, claim):
    response = csrf_post(csrf_client(reviewer), _new(seed_article, claim), SOURCE)
    assert response.status_code == 200
    citation = Citation.objects.get()
    assert (citation.source.title, citation.stance, citation.credibility, citation.added_by) == (
        SOURCE["title"],
        "supports",
        2,
        reviewer,
    )
    assert (citation.source.reliability, citation.source.reliability_set_by) == ("B", reviewer)
    html = response.content.decode()
    assert "Israel attacks Hamas leaders in Qatar" in html
    assert ">Reliability B<" in html
    assert ">Credibility 2<" in html


def test_a_reviewer_cites_a_recorded_source_by_picking_it(
    seed_article, reviewer, other_reviewer, claim
):
    recorded = make_citation(claim=claim, user=other_reviewer, reliability="D").source
    response = csrf_post(
        csrf_client(reviewer), _new(seed_article, claim), {**CITATION, "source": recorded.pk}
    )
    assert response.status_code == 200
    mine = Citation.objects.get(added_by=reviewer)
    assert (mine.source, mine.stance, mine.credibility) == (recorded, "refutes", 4)
    assert Source.objects.count() == 1


def test_a_url_that_normalises_to_a_recorded_source_cites_it(
    seed_article, reviewer, other_reviewer, claim
):
    recorded = make_citation(claim=claim, user=other_reviewer, url=SOURCE["url"]).source
    trivially_different = "HTTPS://WWW.ALJAZEERA.COM:443/news/2025/9/9/israel-strikes-doha#top"
    response = csrf_post(
        csrf_client(reviewer), _new(seed_article, claim), {**SOURCE, "url": trivially_different}
    )
    assert response.status_code == 200
    assert Citation.objects.get(added_by=reviewer).source == recorded
    assert Source.objects.count() == 1


def test_a_new_source_needs_its_url_and_title(seed_article, reviewer, claim):
    response = csrf_post(csrf_client(reviewer), _new(seed_article, claim), CITATION)
    assert response.status_code == 422
    html = response.content.decode()
    assert 'id="citation_url_error"' in html
    assert 'id="citation_title_error"' in html
    assert not Citation.objects.exists()


def test_a_picked_source_that_does_not_exist_is_a_422(seed_article, reviewer, claim):
    response = csrf_post(
        csrf_client(reviewer), _new(seed_article, claim), {**CITATION, "source": "987654"}
    )
    assert response.status_code == 422
    assert "Source: No such source" in response.content.decode()
    assert not Citation.objects.exists()


def test_a_bad_url_is_a_422_beside_the_field_keeping_the_rest(seed_article, reviewer, claim):
    response = csrf_post(
        csrf_client(reviewer), _new(seed_article, claim), {**SOURCE, "url": "not a url"}
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert 'id="citation_url_error"' in html
    assert 'value="Israel attacks Hamas leaders in Qatar"' in html
    assert not Citation.objects.exists()


def test_the_search_finds_recorded_sources_by_url_title_or_publisher_with_reliability(
    client, seed_article, reviewer, other_reviewer, claim
):
    make_citation(claim=claim, user=other_reviewer, **{**SOURCE, "reliability": "C"})
    make_citation(claim=claim, user=other_reviewer, title="Reuters wire", publisher="Reuters")
    client.force_login(reviewer)
    search = f"/articles/{seed_article.slug}/sources/search/"

    for query in ("aljazeera.com", "attacks hamas", "al jaz"):
        html = client.get(search, {"source_query": query}).content.decode()
        assert "Israel attacks Hamas leaders in Qatar" in html
        assert "Reuters wire" not in html
        assert ">Reliability C<" in html
        assert 'name="source"' in html
    assert (
        "No recorded source matches" in client.get(search, {"source_query": "bbc"}).content.decode()
    )
    assert 'name="source"' not in client.get(search, {"source_query": " "}).content.decode()


def test_the_search_needs_a_login(client, seed_article):
    response = client.get(f"/articles/{seed_article.slug}/sources/search/", {"source_query": "a"})
    assert response.status_code == 302


def test_the_author_edits_and_deletes_a_citation(seed_article, reviewer, claim):
    citation = make_citation(claim=claim, user=reviewer)
    client = csrf_client(reviewer)
    edit = csrf_post(
        client,
        f"/articles/{seed_article.slug}/citations/{citation.pk}/edit/",
        {**CITATION, "version": version_of(citation)},
    )
    assert edit.status_code == 200
    citation.refresh_from_db()
    assert (citation.stance, citation.credibility) == ("refutes", 4)

    delete = csrf_post(
        client,
        f"/articles/{seed_article.slug}/citations/{citation.pk}/delete/",
        {"version": version_of(citation)},
    )
    assert delete.status_code == 200
    assert not Citation.objects.exists()
    assert Source.objects.exists()  # shared: it stays


def test_a_stale_citation_edit_is_a_409(seed_article, reviewer, claim):
    citation = make_citation(claim=claim, user=reviewer)
    seen = version_of(citation)
    services.citation_update(citation=citation, user=reviewer, excerpt="Changed meanwhile")
    response = csrf_post(
        csrf_client(reviewer),
        f"/articles/{seed_article.slug}/citations/{citation.pk}/edit/",
        {**CITATION, "version": seen},
    )
    assert response.status_code == 409
    assert "Changed meanwhile" in response.content.decode()


def test_another_reviewers_citation_has_no_controls_and_refuses_forged_posts(
    seed_article, reviewer, other_reviewer, claim
):
    citation = make_citation(claim=claim, user=reviewer)
    client = csrf_client(other_reviewer)
    html = client.get(claim_url(seed_article, claim)).content.decode()
    assert f"/citations/{citation.pk}/edit/" not in html
    assert f"/citations/{citation.pk}/delete/" not in html

    base = f"/articles/{seed_article.slug}/citations/{citation.pk}"
    edit = csrf_post(client, f"{base}/edit/", CITATION)
    delete = csrf_post(client, f"{base}/delete/", {})
    assert (edit.status_code, delete.status_code) == (403, 403)
    assert Citation.objects.filter(pk=citation.pk).exists()


def test_citations_are_grouped_by_stance(client, seed_article, reviewer, claim):
    make_citation(claim=claim, user=reviewer, title="Against", stance="refutes")
    make_citation(claim=claim, user=reviewer, title="For", stance="supports")
    client.force_login(reviewer)
    html = client.get(claim_url(seed_article, claim)).content.decode()
    assert html.index(">Supports</h4>") < html.index(">For<") < html.index(">Refutes</h4>")
    assert html.index(">Refutes</h4>") < html.index(">Against<")


def test_a_sources_reliability_shows_on_every_claim_citing_it(
    client, seed_article, reviewer, lead, claim
):
    other = make_claim(paragraph=paragraph(seed_article, 6), quote="the strike", user=reviewer)
    source = make_citation(claim=claim, user=reviewer, reliability="B").source
    make_citation(claim=other, user=reviewer, source=source)
    services.source_update(source=source, user=lead, reliability="E")
    client.force_login(reviewer)

    for each in (claim, other):
        html = client.get(claim_url(seed_article, each)).content.decode()
        assert ">Reliability E<" in html
        assert "set by lead" in html


def test_reviewers_record_their_own_notes(seed_article, reviewer, other_reviewer, claim):
    url = f"/articles/{seed_article.slug}/claims/{claim.pk}/note/"
    first = csrf_post(
        csrf_client(reviewer),
        url,
        {"likelihood": "6", "analytic_confidence": "moderate", "rationale": "Confirmed"},
    )
    second = csrf_post(
        csrf_client(other_reviewer), url, {"likelihood": "2", "analytic_confidence": "moderate"}
    )

    assert (first.status_code, second.status_code) == (200, 200)
    assert {n.reviewer.username: n.likelihood for n in ConfidenceNote.objects.all()} == {
        "reviewer1": 6,
        "reviewer2": 2,
    }
    html = second.content.decode()
    assert "Reviewers disagree" in html
    assert 'class="hl hl-disputed"' in html  # the paragraph, out of band


def test_a_note_off_the_scale_is_a_422(seed_article, reviewer, claim):
    url = f"/articles/{seed_article.slug}/claims/{claim.pk}/note/"
    response = csrf_post(
        csrf_client(reviewer), url, {"likelihood": "9", "analytic_confidence": "moderate"}
    )
    assert response.status_code == 422
    assert 'id="note_likelihood_error"' in response.content.decode()
    assert not ConfidenceNote.objects.exists()


def test_a_researcher_sees_no_forms_and_may_not_write(seed_article, researcher, claim):
    client = csrf_client(researcher)
    html = client.get(claim_url(seed_article, claim)).content.decode()
    assert "Cite a source" not in html
    assert "My note" not in html
    note = csrf_post(
        client,
        f"/articles/{seed_article.slug}/claims/{claim.pk}/note/",
        {"likelihood": "4", "analytic_confidence": "moderate"},
    )
    source = csrf_post(client, _new(seed_article, claim), SOURCE)
    assert (note.status_code, source.status_code) == (403, 403)


def test_a_reviewer_withdraws_their_own_note(seed_article, reviewer, claim):
    note = make_note(claim=claim, likelihood=4, user=reviewer)
    response = csrf_post(
        csrf_client(reviewer),
        f"/articles/{seed_article.slug}/claims/{claim.pk}/note/delete/",
        {"version": version_of(note)},
    )
    assert response.status_code == 200
    assert not ConfidenceNote.objects.exists()
    assert "Save my note" in response.content.decode()


def _rate(client, seed_article, claim, source, letter, version=None):
    url = f"/articles/{seed_article.slug}/claims/{claim.pk}/sources/{source.pk}/reliability/"
    return csrf_post(client, url, {"reliability": letter, "version": version or ""})


def test_the_sources_author_rates_it_from_a_claim_and_every_claim_shows_it(
    client, seed_article, reviewer, claim
):
    source = make_citation(claim=claim, user=reviewer, reliability="B").source
    other = make_claim(paragraph=paragraph(seed_article, 6), quote="the strike", user=reviewer)
    make_citation(claim=other, user=reviewer, source=source)

    response = _rate(csrf_client(reviewer), seed_article, claim, source, "D", version_of(source))

    assert response.status_code == 200
    source.refresh_from_db()
    assert (source.reliability, source.reliability_set_by) == ("D", reviewer)
    client.force_login(reviewer)
    assert ">Reliability D<" in client.get(claim_url(seed_article, other)).content.decode()


def test_another_reviewer_may_not_rate_a_source_they_did_not_record(
    seed_article, reviewer, other_reviewer, claim
):
    source = make_citation(claim=claim, user=reviewer, reliability="B").source
    client = csrf_client(other_reviewer)

    html = client.get(claim_url(seed_article, claim)).content.decode()
    response = _rate(client, seed_article, claim, source, "E")

    assert "/reliability/" not in html
    assert response.status_code == 403
    source.refresh_from_db()
    assert source.reliability == "B"


def test_a_stale_or_unknown_rating_changes_nothing(seed_article, reviewer, lead, claim):
    source = make_citation(claim=claim, user=reviewer, reliability="B").source
    seen = version_of(source)
    services.source_update(source=source, user=lead, reliability="C")
    client = csrf_client(reviewer)

    stale = _rate(client, seed_article, claim, source, "A", seen)
    unknown = _rate(client, seed_article, claim, source, "G")

    assert (stale.status_code, unknown.status_code) == (409, 422)
    assert "Someone changed this source" in stale.content.decode()
    source.refresh_from_db()
    assert (source.reliability, source.reliability_set_by) == ("C", lead)
