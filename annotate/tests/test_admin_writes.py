"""Every write the admin makes goes through the services, as the workspace's and the API's
do: a citation, source or note changed or deleted there moves its claim's version (ETag,
`updated_after`, the live stamp), and history names the lead. Text the annotations point
into (revisions, paragraphs, an article's slug) cannot be changed or deleted there."""

from __future__ import annotations

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from annotate import restore, services
from annotate.api.conditional import etag_of
from annotate.models import Citation, Claim, ConfidenceNote, Likelihood, Source, Span
from annotate.selectors import current_change_stamp
from annotate.tests.api.conftest import client_for
from annotate.tests.factories import make_citation, make_claim, make_note
from annotate.versioning import version_of
from articles.models import Article, Paragraph, Revision

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim(seed_article, reviewer, lead):
    paragraph = seed_article.revisions.get().paragraphs.get(position=3)
    claim = make_claim(paragraph=paragraph, quote="Loud explosions", user=reviewer)
    make_citation(claim=claim, user=reviewer, title="Wire report")
    make_note(claim=claim, likelihood=Likelihood.LIKELY, user=reviewer)
    make_note(claim=claim, likelihood=Likelihood.UNLIKELY, user=lead)
    return Claim.objects.get(pk=claim.pk)


def _url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def _source_post(source: Source, **fields) -> dict:
    values = {"url": source.url, "title": source.title, "publisher": source.publisher,
              "published_on": "", "archive_url": "", "reliability": source.reliability}  # fmt: skip
    return {**values, **fields}


def _citation_post(citation: Citation, **fields) -> dict:
    values = {"source": str(citation.source_id), "excerpt": citation.excerpt,
              "stance": citation.stance, "credibility": str(citation.credibility)}  # fmt: skip
    return {**values, **fields}


def _bulk_delete(client, model, pks) -> None:
    response = client.post(
        _url(model, "changelist"),
        {"action": "delete_selected", "post": "yes", ACTION_CHECKBOX_NAME: [str(pk) for pk in pks]},
    )
    assert response.status_code == 302


def _moved(claim: Claim) -> bool:
    """Whether the claim's version moved for those who see its notes (a lead): its own
    stamp, or its notes' stamp (annotate.versioning)."""
    now = Claim.objects.get(pk=claim.pk)
    return (version_of(now), now.notes_updated_at) != (version_of(claim), claim.notes_updated_at)


def _deleted_by(model, pk, user) -> bool:
    record = model.history.filter(id=pk, history_type="-").get()
    return record.history_user_id == user.pk


def test_a_source_saved_in_the_admin_moves_its_claims_etag(lead_client, claim, reviewer, lead):
    api = client_for(reviewer)
    url = f"/api/v1/claims/{claim.pk}/"
    old_etag = api.get(url)["ETag"]
    stamp = current_change_stamp(claim.span.paragraph.revision.article.slug, reviewer)
    source = claim.citations.get().source

    response = lead_client.post(
        _url(Source, "change", source.pk), _source_post(source, title="Y", reliability="E")
    )

    assert response.status_code == 302
    saved = Source.objects.get(pk=source.pk)
    assert (saved.title, saved.reliability, saved.reliability_set_by) == ("Y", "E", lead)
    again = api.get(url, HTTP_IF_NONE_MATCH=old_etag)
    assert again.status_code == 200
    assert again["ETag"] == etag_of(Claim.objects.get(pk=claim.pk))
    assert current_change_stamp(claim.span.paragraph.revision.article.slug, reviewer) != stamp


def test_a_source_added_in_the_admin_at_a_recorded_url_is_that_source(lead_client, claim):
    source = claim.citations.get().source

    response = lead_client.post(
        _url(Source, "add"),
        _source_post(source, url="HTTPS://Example.ORG:443/wire-report#top", title="Again"),
    )

    assert response.status_code == 302
    assert list(Source.objects.values_list("title", flat=True)) == ["Wire report"]


def test_a_cited_source_cannot_be_deleted_in_the_admin(lead_client, claim):
    source = claim.citations.get().source

    response = lead_client.post(_url(Source, "delete", source.pk), {"post": "yes"})

    assert response.status_code == 403
    assert Source.objects.filter(pk=source.pk).exists()


def test_a_citation_deleted_in_the_admin_moves_its_claims_version(lead_client, claim, lead):
    citation = claim.citations.get()

    response = lead_client.post(_url(Citation, "delete", citation.pk), {"post": "yes"})

    assert response.status_code == 302
    assert not Citation.objects.filter(pk=citation.pk).exists()
    assert _moved(claim)
    assert _deleted_by(Citation, citation.pk, lead)


def test_citations_deleted_in_bulk_in_the_admin_move_their_claims_versions(
    lead_client, claim, reviewer, lead
):
    second = make_citation(claim=claim, user=reviewer, url="https://example.org/2", title="2")
    claim = Claim.objects.get(pk=claim.pk)

    _bulk_delete(lead_client, Citation, claim.citations.values_list("pk", flat=True))

    assert not claim.citations.exists()
    assert _moved(claim)
    assert _deleted_by(Citation, second.pk, lead)


def test_a_note_saved_in_the_admin_moves_its_claims_version(lead_client, claim, lead):
    note = claim.notes.get(reviewer=lead)

    response = lead_client.post(
        _url(ConfidenceNote, "change", note.pk),
        {
            "likelihood": Likelihood.VERY_LIKELY,
            "analytic_confidence": "moderate",
            "rationale": "On reflection",
        },
    )

    assert response.status_code == 302
    assert ConfidenceNote.objects.get(pk=note.pk).likelihood == Likelihood.VERY_LIKELY
    assert _moved(claim)


def test_a_legacy_note_saved_in_the_admin_must_get_an_analytic_confidence(lead_client, claim, lead):
    note = claim.notes.get(reviewer=lead)
    ConfidenceNote.objects.filter(pk=note.pk).update(analytic_confidence=None)  # as before 0008
    url = _url(ConfidenceNote, "change", note.pk)

    refused = lead_client.post(url, {"likelihood": Likelihood.LIKELY, "rationale": "Again"})
    saved = lead_client.post(
        url, {"likelihood": Likelihood.LIKELY, "analytic_confidence": "high", "rationale": "Again"}
    )

    assert refused.status_code == 200  # the form again, with the error beside the field
    assert "analytic_confidence" in refused.context["adminform"].form.errors
    assert saved.status_code == 302
    assert ConfidenceNote.objects.get(pk=note.pk).analytic_confidence == "high"
    assert ConfidenceNote.history.filter(id=note.pk).first().history_user == lead


def test_a_note_deleted_in_the_admin_moves_its_claims_version(lead_client, claim, reviewer, lead):
    note = claim.notes.get(reviewer=reviewer)

    response = lead_client.post(_url(ConfidenceNote, "delete", note.pk), {"post": "yes"})

    assert response.status_code == 302
    assert not ConfidenceNote.objects.filter(pk=note.pk).exists()
    assert _moved(claim)
    assert _deleted_by(ConfidenceNote, note.pk, lead)


def test_notes_deleted_in_bulk_in_the_admin_move_their_claims_versions(lead_client, claim, lead):
    _bulk_delete(lead_client, ConfidenceNote, claim.notes.values_list("pk", flat=True))

    assert not claim.notes.exists()
    assert _moved(claim)


def _claim_post(claim: Claim, citations: list[dict]) -> dict:
    data = {
        "statement": claim.statement, "kind": claim.kind, "attributed_to": claim.attributed_to,
        "citations-TOTAL_FORMS": str(len(citations)), "citations-INITIAL_FORMS": "1",
        "citations-MIN_NUM_FORMS": "0", "citations-MAX_NUM_FORMS": "1000",
        "notes-TOTAL_FORMS": "2", "notes-INITIAL_FORMS": "2",
        "notes-MIN_NUM_FORMS": "0", "notes-MAX_NUM_FORMS": "1000",
    }  # fmt: skip
    for index, note in enumerate(claim.notes.order_by("id")):
        data |= {f"notes-{index}-id": str(note.pk), f"notes-{index}-claim": str(claim.pk)}
    for index, citation in enumerate(citations):
        data |= {f"citations-{index}-{name}": value for name, value in citation.items()}
        data[f"citations-{index}-claim"] = str(claim.pk)
    return data


def test_the_claim_pages_citation_inline_writes_through_the_services(lead_client, claim, lead):
    citation = claim.citations.get()
    kept = {"id": str(citation.pk), "DELETE": "on", **_citation_post(citation)}
    added = _citation_post(citation, excerpt="From the admin", credibility="1")

    response = lead_client.post(_url(Claim, "change", claim.pk), _claim_post(claim, [kept, added]))

    assert response.status_code == 302, response.context["errors"]
    assert _deleted_by(Citation, citation.pk, lead)
    new = claim.citations.get()
    assert (new.excerpt, new.credibility, new.added_by) == ("From the admin", 1, lead)
    assert new.source == citation.source
    assert new.history.get().history_user == lead
    assert Claim.objects.get(pk=claim.pk).updated_at >= new.updated_at  # the claim was touched


def test_a_claim_edited_in_the_admin_is_recorded_as_a_change_by_the_lead(lead_client, claim, lead):
    citation = claim.citations.get()
    data = _claim_post(claim, [{"id": str(citation.pk), **_citation_post(citation)}])

    response = lead_client.post(_url(Claim, "change", claim.pk), data | {"statement": "Edited"})

    assert response.status_code == 302
    assert Claim.objects.get(pk=claim.pk).statement == "Edited"
    record = Claim.history.filter(id=claim.pk).latest("history_id")
    assert (record.history_type, record.history_user) == ("~", lead)
    assert _moved(claim)


def test_claims_deleted_in_bulk_in_the_admin_can_be_restored(lead_client, claim, lead):
    _bulk_delete(lead_client, Claim, [claim.pk])

    assert not Claim.objects.filter(pk=claim.pk).exists()
    restored = restore.claim_restore(claim_id=claim.pk, user=lead)
    assert restored.citations.count() == 1
    assert restored.notes.count() == 2


def test_a_span_without_claims_is_deleted_in_the_admin_by_the_service(
    lead_client, seed_article, lead
):
    paragraph = seed_article.revisions.get().paragraphs.get(position=3)
    span = services.span_create(
        paragraph=paragraph, start=0, end=4, quote=paragraph.text[:4], user=lead
    )

    _bulk_delete(lead_client, Span, [span.pk])

    assert not Span.objects.filter(pk=span.pk).exists()
    assert _deleted_by(Span, span.pk, lead)


def test_revisions_and_paragraphs_are_read_only_in_the_admin(lead_client, seed_article):
    revision = seed_article.revisions.get()
    paragraph = revision.paragraphs.get(position=3)

    lead_client.post(_url(Revision, "change", revision.pk), {"note": "Rewritten"})
    lead_client.post(_url(Revision, "delete", revision.pk), {"post": "yes"})
    lead_client.post(_url(Paragraph, "delete", paragraph.pk), {"post": "yes"})
    lead_client.post(
        _url(Paragraph, "changelist"),
        {"action": "delete_selected", "post": "yes", ACTION_CHECKBOX_NAME: [str(paragraph.pk)]},
    )

    assert Revision.objects.get(pk=revision.pk).note == revision.note
    assert revision.paragraphs.count() == 15


def test_an_articles_slug_is_fixed_once_it_exists(lead_client, seed_article):
    response = lead_client.get(_url(Article, "change", seed_article.pk))
    form = response.context["adminform"].form

    assert "slug" not in form.fields
    assert "title" in form.fields


def _article_post(article: Article, **fields) -> dict:
    revision = article.revisions.get()
    values = {
        "title": article.title, "publisher": article.publisher, "url": article.url,
        "published_on": article.published_on or "", "language": article.language,
        "independent_review": "on" if article.independent_review else "",
        "revisions-TOTAL_FORMS": "1", "revisions-INITIAL_FORMS": "1",
        "revisions-MIN_NUM_FORMS": "0", "revisions-MAX_NUM_FORMS": "1000",
        "revisions-0-id": str(revision.pk), "revisions-0-article": str(article.pk),
    }  # fmt: skip
    return {**values, **fields}


def test_switching_independent_review_in_the_admin_moves_the_claims_etags(
    lead_client, seed_article, reviewer, other_reviewer
):
    paragraph = seed_article.revisions.get().paragraphs.get(position=3)
    other = make_claim(paragraph=paragraph, quote="Loud explosions", user=other_reviewer)
    make_note(claim=other, likelihood=Likelihood.LIKELY, user=other_reviewer)
    api = client_for(reviewer)
    url = f"/api/v1/claims/{other.pk}/"
    before = api.get(url)
    assert before.json()["confidence"] is None  # independent review hides the summary

    response = lead_client.post(
        _url(Article, "change", seed_article.pk), _article_post(seed_article, independent_review="")
    )

    assert response.status_code == 302
    again = api.get(url, HTTP_IF_NONE_MATCH=before["ETag"])
    assert again.status_code == 200
    assert again.json()["confidence"] is not None


def test_editing_an_articles_title_in_the_admin_leaves_its_claims_versions(
    lead_client, seed_article, claim
):
    response = lead_client.post(
        _url(Article, "change", seed_article.pk), _article_post(seed_article, title="Renamed")
    )

    assert response.status_code == 302
    assert Article.objects.get(pk=seed_article.pk).title == "Renamed"
    assert not _moved(claim)
