"""Independent review in the API and the exports: before their own note on a claim, a
reviewer gets no other reviewer's note on it and no summary, through any endpoint."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.utils import timezone

from annotate import services
from annotate.models import Likelihood
from annotate.tests.api.conftest import client_for
from annotate.tests.factories import UserFactory, make_claim, make_note

pytestmark = pytest.mark.django_db


@pytest.fixture
def disputed(seed_article, other_reviewer, lead):
    paragraph = seed_article.revisions.get().paragraphs.get(position=2)
    claim = make_claim(paragraph=paragraph, quote="Israel struck", user=other_reviewer)
    make_note(
        claim=claim, likelihood=Likelihood.VERY_UNLIKELY, rationale="Denied.", user=other_reviewer
    )
    make_note(claim=claim, likelihood=Likelihood.VERY_LIKELY, rationale="Confirmed.", user=lead)
    return claim


def _note_ids(client, **params) -> set[int]:
    response = client.get("/api/v1/confidence-notes/", params)
    assert response.status_code == 200
    return {note["id"] for note in response.json()["results"]}


def _claim_ids(client, **params) -> set[int]:
    response = client.get("/api/v1/claims/", params)
    assert response.status_code == 200
    return {claim["id"] for claim in response.json()["results"]}


def test_others_notes_are_left_out_of_a_reviewers_list_and_404_alone(disputed, reviewer):
    client = client_for(reviewer)
    note = disputed.notes.first()

    assert _note_ids(client) == set()
    assert _note_ids(client, claim=disputed.pk) == set()
    response = client.get(f"/api/v1/confidence-notes/{note.pk}/")
    assert response.status_code == 404


def test_after_their_own_note_a_reviewer_gets_every_note(disputed, reviewer):
    mine = make_note(claim=disputed, likelihood=3, user=reviewer)
    client = client_for(reviewer)

    assert _note_ids(client) == set(disputed.notes.values_list("pk", flat=True))
    assert mine.pk in _note_ids(client)
    other = disputed.notes.exclude(pk=mine.pk).first()
    assert client.get(f"/api/v1/confidence-notes/{other.pk}/").status_code == 200


def test_a_reviewer_gets_no_summary_before_their_own_note(disputed, reviewer):
    client = client_for(reviewer)

    data = client.get(f"/api/v1/claims/{disputed.pk}/", {"expand": "notes"}).json()
    listed = client.get("/api/v1/claims/").json()["results"][0]

    assert data["confidence"] is None
    assert data["notes"] == []
    assert listed["confidence"] is None

    make_note(claim=disputed, likelihood=3, user=reviewer)
    data = client.get(f"/api/v1/claims/{disputed.pk}/", {"expand": "notes"}).json()
    assert data["confidence"] == {
        "count": 3,
        "lowest": Likelihood.VERY_UNLIKELY,
        "median": 3,
        "highest": Likelihood.VERY_LIKELY,
        "disputed": True,
    }
    assert len(data["notes"]) == 3


@pytest.mark.parametrize("who", ["lead", "researcher"])
def test_leads_and_researchers_get_everything(disputed, request, who):
    client = client_for(request.getfixturevalue(who))

    data = client.get(f"/api/v1/claims/{disputed.pk}/").json()

    assert data["confidence"]["disputed"] is True
    assert _note_ids(client) == set(disputed.notes.values_list("pk", flat=True))


def test_without_independent_review_reviewers_get_everything(seed_article, disputed, reviewer):
    seed_article.independent_review = False
    seed_article.save()
    client = client_for(reviewer)

    assert client.get(f"/api/v1/claims/{disputed.pk}/").json()["confidence"]["count"] == 2
    assert len(_note_ids(client)) == 2


def test_the_disputed_and_reviewer_filters_do_not_leak(disputed, reviewer, lead):
    client = client_for(reviewer)

    assert _claim_ids(client, disputed="true") == set()
    assert _claim_ids(client, disputed="false") == {disputed.pk}
    assert _claim_ids(client, reviewer="lead") == set()
    assert _note_ids(client, reviewer="lead") == set()

    make_note(claim=disputed, likelihood=3, user=reviewer)
    assert _claim_ids(client, disputed="true") == {disputed.pk}
    assert _claim_ids(client, disputed="false") == set()
    assert _claim_ids(client, reviewer="lead") == {disputed.pk}


def _export(client, article, name) -> str:
    response = client.get(f"/api/v1/articles/{article.slug}/export/{name}/")
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode("utf-8")


def test_exports_hide_others_notes_and_summaries_from_the_reviewer(
    seed_article, disputed, reviewer, lead
):
    mine, theirs = client_for(reviewer), client_for(lead)

    for client, hidden in ((mine, True), (theirs, False)):
        w3c = json.loads(_export(client, seed_article, "w3c"))["first"]["items"][0]
        (row,) = csv.DictReader(io.StringIO(_export(client, seed_article, "csv")))
        (line,) = [json.loads(x) for x in _export(client, seed_article, "jsonl").splitlines()]
        assessing = [b for b in w3c["body"] if b["purpose"] == "assessing"]
        if hidden:
            assert assessing == []
            assert [row[k] for k in ("notes", "lowest", "median", "highest", "disputed")] == [
                "", "", "", "", ""
            ]  # fmt: skip
            assert line["confidence"] is None
            assert line["notes"] == []
        else:
            assert [b["value"] for b in assessing] == ["Denied.", "Confirmed."]
            assert (row["notes"], row["disputed"]) == ("2", "true")
            assert line["confidence"]["disputed"] is True
            assert [n["rationale"] for n in line["notes"]] == ["Denied.", "Confirmed."]


def test_the_claimreview_export_shows_no_notes(seed_article, disputed, reviewer, lead):
    services.claim_set_verdict(
        claim=disputed, verdict="supported", rationale="Two sources.", user=lead
    )

    body = _export(client_for(reviewer), seed_article, "claimreview")

    assert "Denied." not in body
    assert "Confirmed." not in body


# Public read (CLAIMDESK_PUBLIC_READ): an anonymous reader judges nothing, so independent
# review hides every note from them, or a reviewer would only have to drop their token.


@pytest.fixture
def public_read(settings):
    settings.CLAIMDESK_PUBLIC_READ = True


@pytest.fixture
def no_role(db):
    return UserFactory(username="visitor")  # an account without a role, reading publicly


@pytest.mark.parametrize("who", ["anonymous", "no_role"])
def test_public_read_shows_no_notes_summary_or_agreement_under_independent_review(
    public_read, seed_article, disputed, request, who
):
    client = client_for(None if who == "anonymous" else request.getfixturevalue(who))
    note = disputed.notes.first()

    data = client.get(f"/api/v1/claims/{disputed.pk}/", {"expand": "notes"}).json()
    (listed,) = client.get("/api/v1/claims/", {"expand": "notes"}).json()["results"]

    assert (data["confidence"], data["notes"]) == (None, [])
    assert (listed["confidence"], listed["notes"]) == (None, [])
    assert _note_ids(client) == set()
    assert client.get(f"/api/v1/confidence-notes/{note.pk}/").status_code == 404
    assert _claim_ids(client, disputed="true") == set()
    assert _claim_ids(client, reviewer="lead") == set()
    assert client.get(f"/api/v1/articles/{seed_article.slug}/agreement/").status_code == 403
    history = client.get(f"/api/v1/claims/{disputed.pk}/history/")
    assert history.status_code == 200
    assert [e for e in history.json() if e["object_type"] == "note"] == []


def test_public_read_exports_no_notes_under_independent_review(
    public_read, seed_article, disputed, anonymous
):
    w3c = _export(anonymous, seed_article, "w3c")
    (row,) = csv.DictReader(io.StringIO(_export(anonymous, seed_article, "csv")))
    (line,) = [json.loads(x) for x in _export(anonymous, seed_article, "jsonl").splitlines()]

    assert "Denied." not in w3c
    assert "Confirmed." not in w3c
    assert [row[k] for k in ("notes", "lowest", "median", "highest", "disputed")] == [""] * 5
    assert (line["confidence"], line["notes"]) == (None, [])


def test_public_read_shows_everything_without_independent_review(
    public_read, seed_article, disputed, anonymous
):
    seed_article.independent_review = False
    seed_article.save()

    data = anonymous.get(f"/api/v1/claims/{disputed.pk}/", {"expand": "notes"}).json()

    assert data["confidence"]["disputed"] is True
    assert [n["rationale"] for n in data["notes"]] == ["Denied.", "Confirmed."]
    assert anonymous.get(f"/api/v1/articles/{seed_article.slug}/agreement/").status_code == 200


# What a user may not see must not show through versions and timestamps: a note hidden
# from a reviewer moves neither the ETag, nor `version`/`updated_at`, nor `updated_after`.


def _read(client, claim) -> tuple[str, dict]:
    response = client.get(f"/api/v1/claims/{claim.pk}/")
    assert response.status_code == 200
    return response["ETag"], response.json()


def _listed_after(client, moment) -> set[int]:
    return _claim_ids(client, updated_after=moment.isoformat())


def test_a_note_hidden_from_a_reviewer_changes_nothing_they_see(disputed, reviewer, lead):
    blind = client_for(reviewer)
    etag, before = _read(blind, disputed)
    (listed_before,) = blind.get("/api/v1/claims/").json()["results"]
    read_at = timezone.now()

    make_note(claim=disputed, likelihood=Likelihood.UNLIKELY, user=lead)

    again = blind.get(f"/api/v1/claims/{disputed.pk}/", headers={"If-None-Match": etag})
    assert again.status_code == 304
    _, after = _read(blind, disputed)
    (listed,) = blind.get("/api/v1/claims/").json()["results"]
    assert (after["version"], after["updated_at"]) == (before["version"], before["updated_at"])
    assert (listed["version"], listed["updated_at"]) == (before["version"], before["updated_at"])
    assert listed == listed_before
    assert _listed_after(blind, read_at) == set()


@pytest.mark.parametrize("who", ["lead", "researcher", "other_reviewer"])
def test_who_sees_the_notes_sees_a_note_change(disputed, request, who, lead):
    client = client_for(request.getfixturevalue(who))  # other_reviewer has a note on it
    etag, before = _read(client, disputed)
    read_at = timezone.now()

    make_note(claim=disputed, likelihood=Likelihood.UNLIKELY, user=lead)

    again = client.get(f"/api/v1/claims/{disputed.pk}/", headers={"If-None-Match": etag})
    assert again.status_code == 200
    assert again.json()["version"] != before["version"]
    assert again.json()["updated_at"] > before["updated_at"]
    assert again["ETag"] != etag
    assert _listed_after(client, read_at) == {disputed.pk}


def test_a_reviewers_own_note_is_a_change_for_them(disputed, reviewer):
    client = client_for(reviewer)
    etag, _ = _read(client, disputed)
    read_at = timezone.now()

    make_note(claim=disputed, likelihood=Likelihood.LIKELY, user=reviewer)

    assert (
        client.get(f"/api/v1/claims/{disputed.pk}/", headers={"If-None-Match": etag}).status_code
        == 200
    )
    assert _listed_after(client, read_at) == {disputed.pk}


def test_a_change_everyone_sees_reaches_a_blind_reviewer(disputed, reviewer, lead):
    client = client_for(reviewer)
    etag, _ = _read(client, disputed)
    read_at = timezone.now()

    services.claim_update(claim=disputed, user=lead, statement="Israel struck Doha")

    assert (
        client.get(f"/api/v1/claims/{disputed.pk}/", headers={"If-None-Match": etag}).status_code
        == 200
    )
    assert _listed_after(client, read_at) == {disputed.pk}


def test_the_version_a_lead_is_shown_opens_their_edit(disputed, lead):
    client = client_for(lead)
    make_note(claim=disputed, likelihood=Likelihood.UNLIKELY, user=lead)
    etag, _ = _read(client, disputed)

    response = client.patch(
        f"/api/v1/claims/{disputed.pk}/", {"statement": "Reworded"}, headers={"If-Match": etag}
    )

    assert response.status_code == 200
    assert response["ETag"] != etag


def test_exports_date_a_claim_as_the_user_sees_it(seed_article, disputed, reviewer, lead):
    blind = client_for(reviewer)
    before = _export(blind, seed_article, "csv"), _export(blind, seed_article, "w3c")

    make_note(claim=disputed, likelihood=Likelihood.UNLIKELY, user=lead)

    assert (_export(blind, seed_article, "csv"), _export(blind, seed_article, "w3c")) == before
