"""ETags: 304 for an unchanged read, 412 for an edit of a stale copy."""

from __future__ import annotations

import pytest

from annotate.models import Claim
from annotate.tests.api.conftest import client_for
from annotate.tests.factories import make_citation

pytestmark = pytest.mark.django_db


def test_an_unchanged_object_answers_304(claim, researcher):
    client = client_for(researcher)
    first = client.get(f"/api/v1/claims/{claim.pk}/")

    again = client.get(f"/api/v1/claims/{claim.pk}/", HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 304
    assert again["ETag"] == first["ETag"]
    assert again.content == b""


@pytest.mark.parametrize(
    "url",
    ["/api/v1/articles/", "/api/v1/claims/", "/api/v1/spans/", "/api/v1/sources/",
     "/api/v1/citations/", "/api/v1/confidence-notes/",
     "/api/v1/articles/doha-strike-2025-09-09/"],
)  # fmt: skip
def test_lists_carry_an_etag_that_moves_when_they_change(claim, reviewer, url):
    client = client_for(reviewer)
    first = client.get(url)
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304

    quote = "A Hamas source told Al Jazeera"
    start = claim.span.paragraph.text.index(quote)
    client.post(
        "/api/v1/claims/",
        {"paragraph": claim.span.paragraph_id, "start": start, "end": start + len(quote),
         "quote": quote, "statement": "A Hamas source spoke"},
    )  # fmt: skip
    client.post(
        "/api/v1/confidence-notes/",
        {"claim": claim.pk, "likelihood": 1, "analytic_confidence": "moderate"},
    )
    client.post(
        "/api/v1/citations/",
        {"claim": claim.pk, "stance": "context", "credibility": 3,
         "new_source": {"link": "https://example.org/y", "title": "Y", "reliability": "D"}},
        format="json",
    )  # fmt: skip
    after = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])

    if "articles" in url:
        assert after.status_code == 304  # an article's text did not change
    else:
        assert after.status_code == 200
        assert after["ETag"] != first["ETag"]


def test_an_edit_of_a_stale_copy_answers_412_and_changes_nothing(claim, reviewer, lead):
    read_by_reviewer = client_for(reviewer).get(f"/api/v1/claims/{claim.pk}/")
    client_for(lead).patch(
        f"/api/v1/claims/{claim.pk}/",
        {"statement": "Lead's wording"},
        HTTP_IF_MATCH=read_by_reviewer["ETag"],
    )

    response = client_for(reviewer).patch(
        f"/api/v1/claims/{claim.pk}/",
        {"statement": "Mine"},
        HTTP_IF_MATCH=read_by_reviewer["ETag"],
    )

    assert response.status_code == 412
    assert response.json()["error"]["code"] == "stale"
    current = client_for(reviewer).get(f"/api/v1/claims/{claim.pk}/")
    assert response["ETag"] == current["ETag"]
    assert Claim.objects.get(pk=claim.pk).statement == "Lead's wording"


def test_a_new_source_makes_an_earlier_copy_of_its_claim_stale(claim, reviewer, other_reviewer):
    etag = client_for(reviewer).get(f"/api/v1/claims/{claim.pk}/")["ETag"]
    make_citation(claim=claim, user=other_reviewer, title="Contrary wire")

    response = client_for(reviewer).delete(f"/api/v1/claims/{claim.pk}/", HTTP_IF_MATCH=etag)

    assert response.status_code == 412
    assert Claim.objects.filter(pk=claim.pk).exists()


@pytest.mark.parametrize(
    ("path", "change"),
    [("citations", {"excerpt": "Reworded"}), ("sources", {"title": "Retitled"})],
)
def test_a_current_copy_is_saved_and_gets_a_new_etag(claim, reviewer, path, change):
    citation = claim.citations.get()
    pk = citation.pk if path == "citations" else citation.source_id
    client = client_for(reviewer)
    etag = client.get(f"/api/v1/{path}/{pk}/")["ETag"]

    response = client.patch(f"/api/v1/{path}/{pk}/", change, HTTP_IF_MATCH=etag)

    assert response.status_code == 200
    assert response["ETag"] != etag
    assert response["ETag"] == f'"{response.json()["version"]}"'
    stale = client.patch(f"/api/v1/{path}/{pk}/", change, HTTP_IF_MATCH=etag)
    assert stale.status_code == 412


def test_stale_note_and_verdict_edits_are_refused(claim, reviewer, lead):
    note = claim.notes.get()
    note_etag = client_for(reviewer).get(f"/api/v1/confidence-notes/{note.pk}/")["ETag"]
    claim_etag = client_for(lead).get(f"/api/v1/claims/{claim.pk}/")["ETag"]
    client_for(reviewer).patch(f"/api/v1/confidence-notes/{note.pk}/", {"likelihood": 6})

    stale_note = client_for(reviewer).put(
        f"/api/v1/confidence-notes/{note.pk}/",
        {"likelihood": 1, "analytic_confidence": "low"},
        HTTP_IF_MATCH=note_etag,
    )
    stale_verdict = client_for(lead).post(
        f"/api/v1/claims/{claim.pk}/verdict/", {"verdict": "mixed"}, HTTP_IF_MATCH=claim_etag
    )

    assert (stale_note.status_code, stale_verdict.status_code) == (412, 412)
    assert claim.notes.get().likelihood == 6
    assert Claim.objects.get(pk=claim.pk).verdict == ""


def _claim_etag(client, claim) -> str:
    return client.get(f"/api/v1/claims/{claim.pk}/")["ETag"]


@pytest.mark.parametrize(
    "if_match",
    ['"0", {current}', '"0",{current} , "1"', 'W/"0", {current}', "*", " {current} "],
)
def test_any_strong_tag_in_if_match_lets_the_edit_through(claim, reviewer, if_match):
    client = client_for(reviewer)
    header = if_match.format(current=_claim_etag(client, claim))

    response = client.patch(
        f"/api/v1/claims/{claim.pk}/", {"statement": "New"}, HTTP_IF_MATCH=header
    )

    assert response.status_code == 200
    assert Claim.objects.get(pk=claim.pk).statement == "New"


@pytest.mark.parametrize("if_match", ["W/{current}", '"0"', '"0", W/{current}'])
def test_weak_or_other_tags_never_match_a_write(claim, reviewer, if_match):
    client = client_for(reviewer)
    current = _claim_etag(client, claim)

    response = client.patch(
        f"/api/v1/claims/{claim.pk}/",
        {"statement": "New"},
        HTTP_IF_MATCH=if_match.format(current=current),
    )

    assert response.status_code == 412
    assert response["ETag"] == current
    assert Claim.objects.get(pk=claim.pk).statement == claim.statement


@pytest.mark.parametrize("if_match", ["{bare}", '"{bare}', '"a" "b"', "W/", '"a";"b"', "**"])
def test_a_malformed_if_match_is_a_400_naming_it(claim, reviewer, if_match):
    client = client_for(reviewer)
    bare = _claim_etag(client, claim).strip('"')

    for response in (
        client.patch(
            f"/api/v1/claims/{claim.pk}/",
            {"statement": "New"},
            HTTP_IF_MATCH=if_match.format(bare=bare),
        ),
        client.delete(f"/api/v1/spans/{claim.span_id}/", HTTP_IF_MATCH=if_match.format(bare=bare)),
    ):
        assert response.status_code == 400
        assert list(response.json()["error"]["fields"]) == ["If-Match"]
    assert Claim.objects.get(pk=claim.pk).statement == claim.statement


def test_a_span_is_deleted_with_any_strong_tag_of_the_list(paragraph, reviewer):
    client = client_for(reviewer)
    quote = "A Hamas source told Al Jazeera"
    start = paragraph.text.index(quote)
    span = client.post(
        "/api/v1/spans/",
        {"paragraph": paragraph.pk, "start": start, "end": start + len(quote), "quote": quote},
    )
    url = f"/api/v1/spans/{span.json()['id']}/"

    assert client.delete(url, HTTP_IF_MATCH=f"W/{span['ETag']}").status_code == 412
    assert client.delete(url, HTTP_IF_MATCH=f'"0", {span["ETag"]}').status_code == 204


@pytest.mark.parametrize("if_none_match", ["W/{current}", '"0", {current}', "*"])
def test_if_none_match_compares_weakly_and_reads_the_whole_list(claim, researcher, if_none_match):
    client = client_for(researcher)
    current = _claim_etag(client, claim)

    response = client.get(
        f"/api/v1/claims/{claim.pk}/", HTTP_IF_NONE_MATCH=if_none_match.format(current=current)
    )

    assert response.status_code == 304
