from __future__ import annotations

import pytest

from annotate import services
from annotate.models import ConfidenceNote, Source
from annotate.tests.factories import make_claim, make_note, make_source
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
}


@pytest.fixture
def claim(seed_article, reviewer):
    return make_claim(paragraph=paragraph(seed_article, 2), quote="Israel struck", user=reviewer)


def test_a_reviewer_adds_a_source(seed_article, reviewer, claim):
    url = f"/articles/{seed_article.slug}/claims/{claim.pk}/sources/"
    response = csrf_post(csrf_client(reviewer), url, SOURCE)
    assert response.status_code == 200
    source = Source.objects.get()
    assert (source.title, source.stance, source.added_by) == (SOURCE["title"], "supports", reviewer)
    assert "Israel attacks Hamas leaders in Qatar" in response.content.decode()


def test_a_bad_url_is_a_422_beside_the_field_keeping_the_rest(seed_article, reviewer, claim):
    url = f"/articles/{seed_article.slug}/claims/{claim.pk}/sources/"
    response = csrf_post(csrf_client(reviewer), url, {**SOURCE, "url": "not a url"})
    assert response.status_code == 422
    html = response.content.decode()
    assert 'id="source_url_error"' in html
    assert 'value="Israel attacks Hamas leaders in Qatar"' in html
    assert not Source.objects.exists()


def test_the_author_edits_and_deletes_a_source(seed_article, reviewer, claim):
    source = make_source(claim=claim, user=reviewer)
    client = csrf_client(reviewer)
    edit = csrf_post(
        client,
        f"/articles/{seed_article.slug}/sources/{source.pk}/edit/",
        {**SOURCE, "stance": "refutes", "version": version_of(source)},
    )
    assert edit.status_code == 200
    source.refresh_from_db()
    assert source.stance == "refutes"

    delete = csrf_post(
        client,
        f"/articles/{seed_article.slug}/sources/{source.pk}/delete/",
        {"version": version_of(source)},
    )
    assert delete.status_code == 200
    assert not Source.objects.exists()


def test_a_stale_source_edit_is_a_409(seed_article, reviewer, claim):
    source = make_source(claim=claim, user=reviewer)
    seen = version_of(source)
    services.source_update(source=source, user=reviewer, title="Changed meanwhile")
    response = csrf_post(
        csrf_client(reviewer),
        f"/articles/{seed_article.slug}/sources/{source.pk}/edit/",
        {**SOURCE, "version": seen},
    )
    assert response.status_code == 409
    assert "Changed meanwhile" in response.content.decode()


def test_another_reviewers_source_has_no_controls_and_refuses_forged_posts(
    seed_article, reviewer, other_reviewer, claim
):
    source = make_source(claim=claim, user=reviewer)
    client = csrf_client(other_reviewer)
    html = client.get(claim_url(seed_article, claim)).content.decode()
    assert f"/sources/{source.pk}/edit/" not in html
    assert f"/sources/{source.pk}/delete/" not in html

    edit = csrf_post(client, f"/articles/{seed_article.slug}/sources/{source.pk}/edit/", SOURCE)
    delete = csrf_post(client, f"/articles/{seed_article.slug}/sources/{source.pk}/delete/", {})
    assert (edit.status_code, delete.status_code) == (403, 403)
    assert Source.objects.filter(pk=source.pk).exists()


def test_sources_are_grouped_by_stance(client, seed_article, reviewer, claim):
    make_source(claim=claim, user=reviewer, title="Against", stance="refutes")
    make_source(claim=claim, user=reviewer, title="For", stance="supports")
    client.force_login(reviewer)
    html = client.get(claim_url(seed_article, claim)).content.decode()
    assert html.index(">Supports</h4>") < html.index(">For<") < html.index(">Refutes</h4>")
    assert html.index(">Refutes</h4>") < html.index(">Against<")


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
    assert "Add a source" not in html
    assert "My note" not in html
    note = csrf_post(
        client,
        f"/articles/{seed_article.slug}/claims/{claim.pk}/note/",
        {"likelihood": "4", "analytic_confidence": "moderate"},
    )
    source = csrf_post(client, f"/articles/{seed_article.slug}/claims/{claim.pk}/sources/", SOURCE)
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
